"""Checks run inside a page, shared by the crawl (test_accessibility) and the keyboard tests."""

# Every inline SVG is a chart or a progress bar drawn by commonground.core.charts. Each must be
# an image with a name (role="img", named by aria-labelledby, aria-label or its <title>): the text
# alternative (WCAG 1.1.1). A chart (svg.cg-chart) must also come with a <table> of its data, in
# its <figure> or in an element its figure (or the SVG) names with aria-details, so the numbers
# can be read, not only the summary. A progress bar's name already says its one number. SVGs
# hidden from assistive technology (aria-hidden="true") are decoration and are left out.
# Returns one line per problem.
CHART_PROBLEMS_SCRIPT = """
() => {
  const text = el => (el ? el.textContent : '').replace(/\\s+/g, ' ').trim();
  const byIds = ids => (ids || '').split(/\\s+/).filter(Boolean)
    .map(id => document.getElementById(id)).filter(Boolean);
  const nameOf = svg => {
    const labelled = byIds(svg.getAttribute('aria-labelledby')).map(text).join(' ').trim();
    if (labelled) return labelled;
    const label = (svg.getAttribute('aria-label') || '').trim();
    if (label) return label;
    const title = Array.from(svg.children).find(c => c.tagName.toLowerCase() === 'title');
    return text(title);
  };
  const hasTable = el => el && (el.tagName === 'TABLE' || !!el.querySelector('table'));
  const problems = [];
  document.querySelectorAll('svg').forEach((svg, index) => {
    if (svg.closest('[aria-hidden="true"]')) return;
    const what = `svg #${index} (${svg.getAttribute('class') || 'no class'})`;
    if (svg.getAttribute('role') !== 'img') problems.push(`${what}: no role="img"`);
    if (!nameOf(svg)) problems.push(`${what}: no text alternative`);
    if (!svg.classList.contains('cg-chart')) return;
    const figure = svg.closest('figure');
    const named = [svg, figure].filter(Boolean)
      .flatMap(el => byIds(el.getAttribute('aria-details')));
    if (!(hasTable(figure) || named.some(hasTable))) {
      problems.push(`${what} "${nameOf(svg).slice(0, 60)}": no table of its data`);
    }
  });
  return problems;
}
"""
