"""`{% url %}` and cached_reverse give exactly what Django's reverse gives."""

import pytest
from django.template import Context, Engine, Template
from django.test import override_settings
from django.urls import NoReverseMatch, path, reverse

from commonground.core.templatetags.cached_url import CachedURLNode
from commonground.core.url_cache import _reverse, cached_reverse


def _view(request):  # pragma: no cover - only reversed
    raise NotImplementedError


urlpatterns = [path("elsewhere/<int:pk>/", _view, name="detail")]


def test_cached_reverse_is_reverse_and_remembers_plain_arguments():
    _reverse.cache_clear()
    detail = "partnerships:detail"
    for name, args in (("home", ()), (detail, (7,)), (detail, ("8",))):
        assert cached_reverse(name, args) == reverse(name, args=args)
        assert cached_reverse(name, args) == reverse(name, args=args)
    assert _reverse.cache_info().hits == 3
    kwargs = {"partnership_id": 3, "partner_id": 4}
    assert cached_reverse("partnerships:partner_edit", (), kwargs) == reverse(
        "partnerships:partner_edit", kwargs=kwargs
    )


def test_other_arguments_are_reversed_each_time():
    class Pk:
        def __str__(self) -> str:
            return "9"

    _reverse.cache_clear()
    assert cached_reverse("partnerships:detail", (Pk(),)) == "/partnerships/9/"
    assert _reverse.cache_info().currsize == 0
    with pytest.raises(NoReverseMatch):
        cached_reverse("partnerships:detail", ("not-a-number",))


def test_a_new_urlconf_is_not_answered_from_the_old_one():
    assert cached_reverse("home") == "/"
    with override_settings(ROOT_URLCONF=__name__):
        assert cached_reverse("detail", (5,)) == "/elsewhere/5/"
        with pytest.raises(NoReverseMatch):
            cached_reverse("home")
    assert cached_reverse("home") == "/"


def test_the_url_tag_renders_what_djangos_renders():
    source = (
        "{% url 'partnerships:detail' pk %}|{% url 'home' as home %}{{ home }}|"
        "{% url 'nowhere' as missing %}[{{ missing }}]|{% url 'partnerships:partner_edit' "
        "partnership_id=pk partner_id=2 %}"
    )
    template = Template(source)
    assert any(isinstance(node, CachedURLNode) for node in template.nodelist)
    ours = template.render(Context({"pk": 12}))
    plain = Engine(builtins=[]).from_string(source).render(Context({"pk": 12}))
    assert ours == plain == "/partnerships/12/|/|[]|/partnerships/12/partners/2/edit/"
    _reverse.cache_clear()
    template.render(Context({"pk": 12}))
    assert _reverse.cache_info().currsize == 3  # the missing one raised inside: not kept
    with pytest.raises(NoReverseMatch):
        Template("{% url 'nowhere' %}").render(Context())
