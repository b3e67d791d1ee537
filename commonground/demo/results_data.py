"""The results frameworks of the Riverside demo partnerships: plain data that `seed_results`
(demo/results.py) writes through the services, as the scenario's people.

Each indicator carries a `Plan`: how fast its partners keep to the straight line from baseline to
target, and which of its newest periods are still in draft, awaiting review, returned or overdue.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from commonground.demo.partnerships import (
    COORDINATOR,
    FLOOD,
    HEALTHY,
    HOMELESSNESS,
    PARTNER,
    VIEWER,
    WINTER,
    YOUTH,
    PartnershipSpec,
)

# Shares of each disaggregation value in the reported figures (jittered period by period).
SEX = {"female": 0.46, "male": 0.5, "other": 0.04}
ROUGH_SLEEPERS_SEX = {"female": 0.17, "male": 0.8, "other": 0.03}
ADULT_AGES = {"18-24": 0.22, "25-64": 0.72, "65+": 0.06}
YOUNG_AGES = {"under 18": 0.25, "18-24": 0.75}


@dataclass(frozen=True)
class DimensionDemo:
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class ObjectiveDemo:
    key: str
    level: str
    title: str
    description: str
    parent: str = ""
    sdg_targets: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()  # organisation keys (partnerships.ORGANISATIONS)


@dataclass(frozen=True)
class Plan:
    """How an indicator's results unfold.

    `pace` is the share of the straight line from baseline to target that the partners keep
    to (1.0 exactly on it, 0.5 half as fast). While the partnership runs, `recent` gives the
    state of the newest ended periods, newest first: "missing" (overdue), "draft", "submitted"
    or "returned"; every other period is approved, except the first `skip_first`, which were
    never reported. A `corrected` period (numbered from 0 for the first) was returned once and
    approved after a correction; a `reopened` one was approved, reopened with a reason,
    corrected and approved again.
    """

    pace: float = 1.0
    noise: float = 0.1
    recent: tuple[str, ...] = ()
    skip_first: int = 0
    corrected: tuple[int, ...] = ()
    reopened: tuple[int, ...] = ()
    season: tuple[float, ...] = ()  # weights of the calendar months, January first


@dataclass(frozen=True)
class IndicatorDemo:
    key: str
    objective: str
    title: str
    definition: str
    unit: str
    frequency: str
    # (e-mail, organisation key) of who reports for which partner; the first partner is the
    # responsible one. Coordinators and editors may report for a partner without a reporter.
    reporters: tuple[tuple[str, str], ...]
    measure: str = "1"  # IATI indicator measure
    direction: str = "increase"
    aggregation: str = "sum"
    baseline: str | None = "0"
    target: str | None = None
    target_date: dt.date | None = None  # the partnership's end when not given
    places: int = 0  # decimal places of the reported values
    sdg: str = ""
    verification: str = ""
    split: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    shares: tuple[float, ...] = ()  # each reporter's share of the total
    plan: Plan = field(default_factory=Plan)
    first_target: str | None = None  # the end target first agreed; `target` is its revision
    revision: tuple[str, str] = ("", "")  # reason code and text of that revision
    period_targets: tuple[str, ...] = ()  # from the first period of the partnership on
    even_period_targets: bool = False  # the end target spread over the periods by days
    period_revision: tuple[int, str, str, str] | None = None  # period, value, reason, text
    texts: tuple[str, ...] = ()  # for qualitative indicators, in turn
    evidence: str = ""  # a link to the evidence; {period} is the period's label
    return_comment: str = "Please check this figure against the source before we approve it."
    reopen_reason: str = "A figure in the approved report was counted twice."
    correction_note: str = "Corrected as the reviewer asked."
    notes: Mapping[int, str] = field(default_factory=dict)  # period number -> note


@dataclass(frozen=True)
class CommentDemo:
    indicator: str
    period: int  # period number from 0
    author: str
    body: str


@dataclass(frozen=True)
class FrameworkDemo:
    partnership: PartnershipSpec
    reviewers: tuple[str, ...]  # who approves, in order of preference (never their own)
    dimensions: tuple[DimensionDemo, ...]
    objectives: tuple[ObjectiveDemo, ...]
    indicators: tuple[IndicatorDemo, ...]
    comments: tuple[CommentDemo, ...] = ()


AGE_BAND = DimensionDemo("age band", ("under 18", "18-24", "25-64", "65+"))
SEX_DIMENSION = DimensionDemo("sex", ("female", "male", "other"))

GRACE = "grace.whitfield@example.org"
TOM = "tom.bennett@example.org"
RACHEL = "rachel.obrien@example.org"
DAVID = "david.chen@example.org"
LUCAS = "lucas.ferreira@example.org"
JAMES = "james.osei@example.org"
HANNAH = "hannah.kowalski@example.org"
ELLEN = "ellen.marsh@example.org"
AMARA = "amara.nwosu@example.org"
SOPHIE = "sophie.laurent@example.org"
KWAME = "kwame.asante@example.org"
NADIA = "nadia.rahman@example.org"
FATIMA = "fatima.haddad@example.org"

HOMELESSNESS_RESULTS = FrameworkDemo(
    partnership=HOMELESSNESS,
    reviewers=(COORDINATOR, TOM),
    dimensions=(
        SEX_DIMENSION,
        AGE_BAND,
        DimensionDemo("neighbourhood", ("City centre", "Eastbank", "Old Mill")),
    ),
    objectives=(
        ObjectiveDemo(
            "impact",
            "impact",
            "Homelessness in Riverside is rare, brief and non-recurring",
            "Fewer people sleep rough or wait in temporary accommodation, and those who lose "
            "their home find a new one quickly.",
            sdg_targets=("1.4", "11.1"),
            partners=("city", "shelter"),
        ),
        ObjectiveDemo(
            "off_street",
            "outcome",
            "People sleeping rough are offered a safe place to stay within days",
            "One assessment accepted by every partner and a bed the same week.",
            parent="impact",
            sdg_targets=("11.1",),
            partners=("shelter", "city"),
        ),
        ObjectiveDemo(
            "stay_housed",
            "outcome",
            "People who move into a home keep it",
            "Tenancy sustainment support, food and health care follow people into their new home.",
            parent="impact",
            sdg_targets=("1.4", "10.2"),
            partners=("city", "tenants", "healthtrust"),
        ),
        ObjectiveDemo(
            "outreach",
            "output",
            "Street outreach seven nights a week",
            "The shelter network's outreach team covers the city centre, Eastbank and Old Mill.",
            parent="off_street",
            partners=("shelter",),
        ),
        ObjectiveDemo(
            "food",
            "output",
            "Hot meals at the day centre and food for every new tenancy",
            parent="off_street",
            description="The food bank cooks at the day centre and packs move-in parcels.",
            partners=("foodbank",),
        ),
        ObjectiveDemo(
            "homes",
            "output",
            "New supported homes opened",
            "Supported homes with on-site staff for people leaving the street or hospital.",
            parent="stay_housed",
            sdg_targets=("11.1",),
            partners=("city", "intl"),
        ),
        ObjectiveDemo(
            "wards",
            "output",
            "A housing worker on every acute hospital ward",
            "Nobody is discharged from hospital to the street.",
            parent="stay_housed",
            partners=("healthtrust",),
        ),
    ),
    indicators=(
        IndicatorDemo(
            "rough_sleepers",
            "impact",
            "Rough sleepers counted on a single night",
            "People seen bedded down, or about to bed down, in the open on the night of the "
            "quarter's street count.",
            "people",
            "quarterly",
            reporters=((GRACE, "shelter"),),
            direction="decrease",
            aggregation="latest",
            baseline="46",
            target="10",
            sdg="11.1.1",
            verification="Street count sheets, signed off by an independent verifier.",
            split={"sex": ROUGH_SLEEPERS_SEX},
            plan=Plan(pace=1.15, noise=0.06, recent=("submitted",)),
            evidence="https://shelternetwork.riverside.example/street-count/{period}",
        ),
        IndicatorDemo(
            "temporary",
            "impact",
            "Households in temporary accommodation",
            "Households the council has placed in temporary accommodation on the last day of "
            "the quarter, including bed and breakfast.",
            "households",
            "quarterly",
            reporters=((TOM, "city"),),
            direction="decrease",
            aggregation="latest",
            baseline="640",
            target="450",
            verification="The council's quarterly homelessness return (H-CLIC).",
            plan=Plan(pace=0.25, noise=0.05),
            notes={6: "Two hostels closed for refurbishment this quarter."},
        ),
        IndicatorDemo(
            "housed",
            "off_street",
            "People helped off the street into accommodation",
            "People who slept rough and moved into emergency, supported or settled "
            "accommodation in the month, counted once per move.",
            "people",
            "monthly",
            reporters=((GRACE, "shelter"),),
            target="540",
            sdg="11.1.1",
            verification="The shared case list: moves recorded with the accommodation address.",
            split={"sex": ROUGH_SLEEPERS_SEX, "age band": ADULT_AGES},
            plan=Plan(pace=1.08, noise=0.2, recent=("submitted",), corrected=(9,), reopened=(14,)),
            return_comment="Three of these moves were already counted last month; count each "
            "move once, in the month it happened.",
            reopen_reason="The hospital team recorded two of these moves as well; each is now "
            "counted once.",
        ),
        IndicatorDemo(
            "days_to_offer",
            "off_street",
            "Median days from first contact to an offer of accommodation",
            "For everyone first met by outreach in the quarter, the median number of days "
            "until they were offered somewhere to stay.",
            "days",
            "quarterly",
            reporters=((GRACE, "shelter"),),
            direction="decrease",
            aggregation="latest",
            baseline="38",
            target="14",
            places=1,
            verification="The shared case list.",
            plan=Plan(pace=0.9, noise=0.05, recent=("missing",)),
        ),
        IndicatorDemo(
            "sustained",
            "stay_housed",
            "Tenancies still held after 12 months",
            "Of the tenancies started twelve months before the quarter's end, the share "
            "still held by the same household.",
            "%",
            "quarterly",
            reporters=((TOM, "city"),),
            measure="2",
            aggregation="latest",
            baseline="71",
            target="85",
            places=1,
            sdg="1.4.2",
            verification="Tenancy records of the council and the housing associations.",
            plan=Plan(pace=1.1, noise=0.05, recent=("draft",)),
        ),
        IndicatorDemo(
            "shifts",
            "outreach",
            "Outreach shifts completed",
            "Night shifts of the street outreach team that went out as planned.",
            "shifts",
            "quarterly",
            reporters=((GRACE, "shelter"),),
            target="1095",
            even_period_targets=True,
            verification="The outreach team's shift log.",
            plan=Plan(pace=0.98, noise=0.03),
        ),
        IndicatorDemo(
            "meals",
            "food",
            "Hot meals served at the day centre",
            "Hot meals served to guests of the day centre, counted from the till sheets.",
            "meals",
            "monthly",
            reporters=((PARTNER, "foodbank"),),
            first_target="36000",
            target="54000",
            revision=(
                "other",
                "The day centre now also opens at weekends, so the partners agreed to count "
                "weekend meals too.",
            ),
            verification="Daily till sheets of the day centre kitchen.",
            plan=Plan(
                pace=1.12,
                noise=0.08,
                recent=("submitted",),
                season=(1.2, 1.15, 1.05, 0.95, 0.9, 0.85, 0.85, 0.85, 0.95, 1.05, 1.1, 1.2),
            ),
            evidence="https://foodbank.riverside.example/reports/day-centre-{period}.pdf",
        ),
        IndicatorDemo(
            "parcels",
            "food",
            "Food parcels for households moving into a new home",
            "Move-in parcels (food, cleaning things and a kettle) delivered to households "
            "starting a tenancy.",
            "parcels",
            "quarterly",
            reporters=((PARTNER, "foodbank"),),
            target="900",
            verification="Delivery notes signed by the household.",
            plan=Plan(pace=1.0, noise=0.15, recent=("returned",)),
            return_comment="This includes the Christmas hampers; please report move-in "
            "parcels only.",
        ),
        IndicatorDemo(
            "new_homes",
            "homes",
            "New supported homes opened",
            "Supported homes handed over and ready to let in the quarter.",
            "homes",
            "quarterly",
            reporters=((TOM, "city"),),
            first_target="120",
            target="90",
            revision=(
                "budget_change",
                "The housing capital grant was cut by a quarter in the 2025 budget.",
            ),
            period_targets=("0", "0", "4", "6", "8", "8", "10", "10", "10", "12", "12", "10"),
            period_revision=(
                7,
                "6",
                "implementation_delay",
                "The Old Mill scheme slipped a quarter when its contractor went into "
                "administration.",
            ),
            verification="Practical completion certificates.",
            split={"neighbourhood": {"City centre": 0.35, "Eastbank": 0.4, "Old Mill": 0.25}},
            plan=Plan(pace=0.93, noise=0.2, corrected=(5,)),
            return_comment="Only homes handed over count; the Eastbank block is still "
            "waiting for its certificate.",
        ),
        IndicatorDemo(
            "discharges",
            "wards",
            "Patients discharged from hospital with nowhere to live",
            "Patients discharged in the quarter to no fixed abode, from the acute wards.",
            "people",
            "quarterly",
            reporters=((RACHEL, "healthtrust"),),
            direction="decrease",
            aggregation="latest",
            baseline="27",
            target="0",
            verification="The trust's discharge records.",
            plan=Plan(pace=0.9, noise=0.08, recent=("missing", "missing", "missing")),
        ),
    ),
    comments=(
        CommentDemo(
            "rough_sleepers",
            5,
            VIEWER,
            "The foundation's trustees asked how the count compares with the regional "
            "figures; could we add them to the next update?",
        ),
        CommentDemo(
            "new_homes",
            5,
            "leila.mansour@example.org",
            "Good to see the first homes open. Remember the Housing First fidelity review "
            "needs a list of tenancies by the end of the year.",
        ),
    ),
)

FLOOD_RESULTS = FrameworkDemo(
    partnership=FLOOD,
    reviewers=(DAVID, COORDINATOR),
    dimensions=(
        DimensionDemo(
            "neighbourhood", ("Eastbank", "Old Mill", "Northgate", "City centre", "Hatton Moor")
        ),
    ),
    objectives=(
        ObjectiveDemo(
            "impact",
            "impact",
            "Fewer homes and businesses in Riverside harmed by floods",
            "Fewer people affected when the Mill River floods, and faster recovery when it does.",
            sdg_targets=("11.5", "13.1"),
            partners=("city", "university"),
        ),
        ObjectiveDemo(
            "slow_flow",
            "outcome",
            "Less water reaches the city in heavy rain",
            "Natural flood management upstream and sustainable drainage in the city slow the "
            "water down.",
            parent="impact",
            sdg_targets=("6.3", "6.6"),
            partners=("river", "water"),
        ),
        ObjectiveDemo(
            "prepared",
            "outcome",
            "Neighbourhoods at risk are prepared and recover quickly",
            "Every ward at risk has a flood plan, wardens, and help for uninsured households.",
            parent="impact",
            sdg_targets=("11.b", "13.1"),
            partners=("city", "eastbank", "foundation"),
        ),
        ObjectiveDemo(
            "upstream",
            "output",
            "Upstream wetland restored and trees planted",
            parent="slow_flow",
            description="Forty hectares of wetland and 25,000 trees in the upper catchment.",
            sdg_targets=("15.1",),
            partners=("river",),
        ),
        ObjectiveDemo(
            "drainage",
            "output",
            "Sustainable drainage in twelve streets",
            "Rain gardens, permeable paving and storage under the road.",
            parent="slow_flow",
            partners=("water",),
        ),
        ObjectiveDemo(
            "households",
            "output",
            "Flood wardens and household flood protection",
            "Trained wardens in every street at risk, flood doors and air bricks for uninsured "
            "households.",
            parent="prepared",
            partners=("eastbank", "foundation"),
        ),
    ),
    indicators=(
        IndicatorDemo(
            "homes_at_risk",
            "impact",
            "Homes at high risk of flooding",
            "Homes with a 1 in 30 or greater annual chance of flooding, from the flood model.",
            "homes",
            "annual",
            reporters=((HANNAH, "university"),),
            direction="decrease",
            aggregation="latest",
            baseline="2300",
            target="1600",
            verification="The university's flood model, run on the latest climate projections.",
            plan=Plan(pace=1.0, noise=0.02, recent=("returned",)),
            return_comment="Please re-run the model with the 2024 climate projections, as "
            "agreed at the June meeting.",
        ),
        IndicatorDemo(
            "affected",
            "impact",
            "Residents directly affected by flooding per 100,000 population",
            "Residents whose home or workplace flooded, or who were evacuated, in the year.",
            "per 100,000",
            "annual",
            reporters=((DAVID, "city"),),
            direction="decrease",
            aggregation="average",
            baseline="410",
            target="150",
            sdg="11.5.1",
            verification="Flood incident reports of the council and the fire service.",
            plan=Plan(pace=2.4, noise=0.05, recent=("submitted",)),
            notes={0: "No major flood in 2025; two streets flooded from surface water in June."},
        ),
        IndicatorDemo(
            "wetland",
            "upstream",
            "Hectares of upstream wetland restored",
            "Wetland re-wetted and replanted, measured when the works are signed off.",
            "hectares",
            "quarterly",
            reporters=((LUCAS, "river"),),
            target="40",
            places=1,
            sdg="15.1.1",
            verification="Site surveys with GPS boundaries.",
            plan=Plan(pace=1.3, noise=0.3, recent=("submitted",)),
        ),
        IndicatorDemo(
            "trees",
            "upstream",
            "Trees planted in the upper catchment",
            "Native trees planted and guarded, counted at planting.",
            "trees",
            "quarterly",
            reporters=((LUCAS, "river"),),
            target="25000",
            verification="Planting records with the volunteers' day sheets.",
            plan=Plan(
                pace=2.8,
                noise=0.1,
                season=(1.0, 1.0, 0.8, 0.1, 0, 0, 0, 0, 0, 0.2, 1.0, 1.0),
            ),
            evidence="https://millrivertrust.example/planting/{period}",
        ),
        IndicatorDemo(
            "spills",
            "slow_flow",
            "Storm overflow spills into the Mill River",
            "Spills from the combined sewer overflows on the Mill River in the quarter, from "
            "the event duration monitors.",
            "spills",
            "quarterly",
            reporters=((JAMES, "water"),),
            direction="decrease",
            aggregation="latest",
            baseline="48",
            target="24",
            sdg="6.3.1",
            verification="Event duration monitoring data published by Meridian Water.",
            plan=Plan(pace=0.3, noise=0.08),
        ),
        IndicatorDemo(
            "suds_streets",
            "drainage",
            "Streets with sustainable drainage completed",
            "Streets where the drainage works are finished and the road reopened.",
            "streets",
            "quarterly",
            reporters=((JAMES, "water"),),
            target="12",
            verification="Completion certificates from the highways team.",
            plan=Plan(pace=0.35, noise=0.1, recent=("draft",)),
            notes={4: "Design approval for the Northgate streets took longer than planned."},
        ),
        IndicatorDemo(
            "wardens",
            "households",
            "Flood wardens trained",
            "Residents who completed the flood warden course.",
            "wardens",
            "quarterly",
            reporters=((ELLEN, "eastbank"),),
            target="120",
            verification="Course attendance sheets.",
            split={
                "neighbourhood": {
                    "Eastbank": 0.6,
                    "Old Mill": 0.25,
                    "Northgate": 0.1,
                    "City centre": 0.05,
                }
            },
            plan=Plan(pace=0.8, noise=0.2, recent=("submitted",)),
        ),
        IndicatorDemo(
            "flood_doors",
            "households",
            "Uninsured households given flood doors and air bricks",
            "Households without flood insurance whose home was fitted with property flood "
            "resilience measures paid for by the resilience fund.",
            "households",
            "quarterly",
            reporters=((DAVID, "foundation"),),
            target="300",
            period_targets=(
                *("0", "10", "15", "20", "20", "20", "20", "20"),
                *("20", "20", "20", "20", "20", "20", "20", "15"),
            ),
            verification="The resilience fund's grant records and installers' certificates.",
            split={"neighbourhood": {"Eastbank": 0.55, "Old Mill": 0.3, "Hatton Moor": 0.15}},
            plan=Plan(pace=1.3, noise=0.15),
        ),
        IndicatorDemo(
            "flood_plans",
            "prepared",
            "Wards at risk with a tested community flood plan",
            "Of the wards at risk, the share with a flood plan exercised in the last year.",
            "%",
            "semiannual",
            reporters=((DAVID, "city"),),
            measure="2",
            aggregation="latest",
            baseline="20",
            target="100",
            places=0,
            sdg="11.b.2",
            verification="Exercise reports of the emergency planning team.",
            plan=Plan(pace=1.3, noise=0.02),
        ),
    ),
    comments=(
        CommentDemo(
            "trees",
            4,
            VIEWER,
            "Wonderful work by the volunteers. Will the trees be checked for survival next summer?",
        ),
    ),
)

YOUTH_RESULTS = FrameworkDemo(
    partnership=YOUTH,
    reviewers=(AMARA, COORDINATOR, SOPHIE),
    dimensions=(SEX_DIMENSION, AGE_BAND),
    objectives=(
        ObjectiveDemo(
            "impact",
            "impact",
            "Young people in Riverside move into good first jobs",
            "Fewer young people out of education, employment or training, and more in decent work.",
            sdg_targets=("8.5", "8.6"),
            partners=("youth", "city"),
        ),
        ObjectiveDemo(
            "into_work",
            "outcome",
            "Young people find work and keep it",
            "Coaching, placements and apprenticeships lead to jobs that last.",
            parent="impact",
            sdg_targets=("8.6",),
            partners=("youth", "retail", "water"),
        ),
        ObjectiveDemo(
            "barriers",
            "outcome",
            "Cost and skills no longer stand in the way",
            "Short courses in the skills employers ask for, and bursaries for travel and kit.",
            parent="impact",
            sdg_targets=("4.3", "4.4", "10.2"),
            partners=("college", "foundation"),
        ),
        ObjectiveDemo(
            "coaching",
            "output",
            "Coaching and paid work placements",
            parent="into_work",
            description="A coach for every young person and placements with a guaranteed "
            "interview.",
            partners=("youth", "retail"),
        ),
        ObjectiveDemo(
            "apprenticeships",
            "output",
            "Apprenticeships with the council and Meridian Water",
            "Fifty council apprenticeships and twenty engineering apprentices a year.",
            parent="into_work",
            partners=("city", "water"),
        ),
        ObjectiveDemo(
            "courses",
            "output",
            "Short courses and bursaries",
            "Courses starting every month at the college; bursaries from the foundation.",
            parent="barriers",
            partners=("college", "foundation"),
        ),
    ),
    indicators=(
        IndicatorDemo(
            "neet",
            "impact",
            "Young people aged 16 to 24 not in education, employment or training",
            "The share of 16 to 24 year olds living in Riverside who are not in education, "
            "employment or training, from the council's tracking of young people.",
            "%",
            "semiannual",
            reporters=((COORDINATOR, "city"),),
            measure="2",
            direction="decrease",
            aggregation="latest",
            baseline="14.2",
            target="9",
            places=1,
            sdg="8.6.1",
            verification="The council's NEET tracking return to the Department for Education.",
            plan=Plan(pace=1.2, noise=0.03),
        ),
        IndicatorDemo(
            "jobs",
            "into_work",
            "Young people starting a job or apprenticeship",
            "Young people coached by the compact who started paid work of 16 hours a week or "
            "more, or an apprenticeship.",
            "people",
            "monthly",
            reporters=((AMARA, "youth"),),
            target="800",
            sdg="8.6.1",
            verification="Employers' confirmation of start dates.",
            split={"sex": SEX, "age band": YOUNG_AGES},
            plan=Plan(pace=1.1, noise=0.2, recent=("submitted",), corrected=(3,)),
            return_comment="Two of these starts are zero-hours contracts; the definition "
            "asks for 16 hours a week or more.",
        ),
        IndicatorDemo(
            "still_working",
            "into_work",
            "Still in work six months after starting",
            "Of the young people who started work six months before the quarter's end, the "
            "share still in work.",
            "%",
            "quarterly",
            reporters=((AMARA, "youth"),),
            measure="2",
            aggregation="latest",
            baseline="55",
            target="75",
            places=1,
            verification="Follow-up calls by the coaches, confirmed by employers.",
            plan=Plan(pace=0.85, noise=0.04, skip_first=1),
        ),
        IndicatorDemo(
            "placements",
            "coaching",
            "Paid work placements completed",
            "Four-week paid placements completed, each followed by a guaranteed interview.",
            "placements",
            "quarterly",
            reporters=((KWAME, "retail"),),
            target="160",
            verification="Placement agreements and payroll records.",
            split={"sex": SEX},
            plan=Plan(pace=0.45, noise=0.15, recent=("returned",)),
            return_comment="Please split out the placements that ended early; only completed "
            "placements count.",
            notes={2: "Placements paused while the Northgate store was refitted."},
        ),
        IndicatorDemo(
            "coached",
            "coaching",
            "Young people coached",
            "Young people who had their third coaching session in the quarter.",
            "people",
            "quarterly",
            reporters=((AMARA, "youth"),),
            target="1200",
            verification="The coaching team's case management system.",
            split={"sex": SEX},
            plan=Plan(pace=1.4, noise=0.15, recent=("draft",)),
        ),
        IndicatorDemo(
            "apprentices",
            "apprenticeships",
            "Apprenticeships started with the council and Meridian Water",
            "Apprentices from the compact who started with the council or Meridian Water.",
            "apprentices",
            "quarterly",
            reporters=((COORDINATOR, "city"), (AMARA, "water")),
            shares=(0.6, 0.4),
            target="140",
            verification="Apprenticeship agreements.",
            plan=Plan(pace=1.2, noise=0.15, recent=("submitted",)),
        ),
        IndicatorDemo(
            "completion",
            "barriers",
            "Young people who complete their course",
            "Of the young people whose course ended in the quarter, the share who completed it.",
            "%",
            "quarterly",
            reporters=((SOPHIE, "college"),),
            measure="2",
            aggregation="latest",
            baseline="68",
            target="85",
            places=1,
            verification="College completion records.",
            plan=Plan(pace=1.45, noise=0.04, recent=("submitted",)),
        ),
        IndicatorDemo(
            "course_places",
            "courses",
            "Course places taken up",
            "Places on the college's short courses taken up by young people from the compact.",
            "places",
            "monthly",
            reporters=((SOPHIE, "college"),),
            target="900",
            sdg="4.3.1",
            verification="College enrolment records.",
            split={"sex": SEX},
            plan=Plan(pace=1.1, noise=0.2, recent=("missing",)),
        ),
        IndicatorDemo(
            "bursaries",
            "courses",
            "Young people given a travel or equipment bursary",
            "Young people who received at least one bursary payment in the quarter for the "
            "first time.",
            "people",
            "quarterly",
            reporters=((NADIA, "foundation"),),
            first_target="600",
            target="400",
            revision=(
                "other",
                "We now count young people rather than payments, as the evaluation asked; "
                "600 payments are about 400 young people.",
            ),
            verification="The foundation's grant payment records.",
            plan=Plan(pace=1.15, noise=0.1),
        ),
    ),
    comments=(
        CommentDemo(
            "jobs",
            2,
            "james.osei@example.org",
            "Meridian Water can take two more engineering apprentices in January if the "
            "coaches have candidates.",
        ),
    ),
)

HEALTHY_RESULTS = FrameworkDemo(
    partnership=HEALTHY,
    reviewers=(COORDINATOR, FATIMA, HANNAH),
    dimensions=(
        DimensionDemo("neighbourhood", ("Eastbank", "Old Mill", "Northgate")),
        AGE_BAND,
        SEX_DIMENSION,
    ),
    objectives=(
        ObjectiveDemo(
            "impact",
            "impact",
            "The gap in healthy life expectancy between Eastbank and the city narrows",
            "Where you live in Riverside no longer decides how long you live well.",
            sdg_targets=("3.4", "10.2"),
            partners=("city", "university"),
        ),
        ObjectiveDemo(
            "food",
            "outcome",
            "Children eat better and grow up at a healthy weight",
            parent="impact",
            description="Cooking clubs in every primary school and fresh food at the pantry.",
            sdg_targets=("2.2",),
            partners=("healthngo", "foodbank"),
        ),
        ObjectiveDemo(
            "homes",
            "outcome",
            "Homes are warm and free of damp and mould",
            "Landlords fix damp and mould quickly, and the council enforces when they do not.",
            parent="impact",
            sdg_targets=("11.1",),
            partners=("city", "tenants"),
        ),
        ObjectiveDemo(
            "lonely",
            "outcome",
            "Older people are less lonely",
            "Social prescribing connects older people to groups and activities near home.",
            parent="impact",
            sdg_targets=("3.4",),
            partners=("healthtrust", "healthngo"),
        ),
        ObjectiveDemo(
            "clubs",
            "output",
            "Cooking clubs and a community pantry",
            "Cooking clubs in every primary school; a pantry with fresh food and benefits advice.",
            parent="food",
            partners=("healthngo", "foodbank"),
        ),
        ObjectiveDemo(
            "inspections",
            "output",
            "Damp homes inspected and repairs enforced",
            "Environmental health inspects every reported case within two weeks.",
            parent="homes",
            partners=("city",),
        ),
        ObjectiveDemo(
            "prescribing",
            "output",
            "Social prescribing in every GP practice of the three wards",
            parent="lonely",
            description="A link worker in each practice.",
            sdg_targets=("3.8",),
            partners=("healthtrust",),
        ),
    ),
    indicators=(
        IndicatorDemo(
            "hle_gap",
            "impact",
            "Gap in healthy life expectancy between Eastbank and the city",
            "Years of healthy life expectancy at birth in the city minus those in Eastbank.",
            "years",
            "annual",
            reporters=((HANNAH, "university"),),
            direction="decrease",
            aggregation="latest",
            baseline="8",
            target="6.5",
            target_date=dt.date(2029, 9, 30),
            places=1,
            verification="The university's analysis of the public health outcomes data.",
            plan=Plan(pace=1.6, noise=0.02),
        ),
        IndicatorDemo(
            "obesity",
            "food",
            "Year 6 children living with obesity in the three wards",
            "The share of Year 6 children measured in the school year who are living with obesity.",
            "%",
            "annual",
            reporters=((COORDINATOR, "city"),),
            measure="2",
            direction="decrease",
            aggregation="latest",
            baseline="27.5",
            target="24",
            target_date=dt.date(2027, 9, 30),
            places=1,
            sdg="2.2.2",
            verification="The National Child Measurement Programme.",
            plan=Plan(pace=1.0, noise=0.02, skip_first=1, recent=("submitted",)),
        ),
        IndicatorDemo(
            "cooking",
            "clubs",
            "Children who completed a cooking club course",
            "Children who came to at least five of the six sessions of a cooking club course.",
            "children",
            "quarterly",
            reporters=((FATIMA, "healthngo"),),
            target="1500",
            target_date=dt.date(2027, 9, 30),
            verification="Club registers kept by the volunteers.",
            split={
                "neighbourhood": {"Eastbank": 0.45, "Old Mill": 0.3, "Northgate": 0.25},
                "sex": SEX,
            },
            plan=Plan(pace=1.2, noise=0.15, season=(1, 1, 1, 1, 1, 1, 0.3, 0.2, 1, 1, 1, 1)),
            evidence="https://healthyfutures.example/cooking-clubs/{period}",
        ),
        IndicatorDemo(
            "pantry",
            "clubs",
            "Households using the community pantry",
            "Member households who used the pantry at least once in the month.",
            "households",
            "monthly",
            reporters=((PARTNER, "foodbank"),),
            aggregation="latest",
            target="400",
            target_date=dt.date(2027, 9, 30),
            verification="Pantry membership records.",
            split={"neighbourhood": {"Eastbank": 0.5, "Old Mill": 0.3, "Northgate": 0.2}},
            plan=Plan(pace=1.12, noise=0.03, recent=("submitted",), corrected=(11,)),
            return_comment="Some households are counted twice; please de-duplicate by "
            "membership number.",
        ),
        IndicatorDemo(
            "damp_fixed",
            "homes",
            "Reported damp and mould cases fixed within eight weeks",
            "Of the damp and mould cases reported to the council in the quarter, the share "
            "fixed within eight weeks.",
            "%",
            "quarterly",
            reporters=((COORDINATOR, "city"),),
            measure="2",
            aggregation="latest",
            baseline="34",
            target="80",
            target_date=dt.date(2027, 9, 30),
            places=1,
            verification="The council's housing enforcement records.",
            plan=Plan(pace=0.4, noise=0.05, recent=("submitted",)),
        ),
        IndicatorDemo(
            "inspected",
            "inspections",
            "Damp homes inspected by environmental health",
            "Homes inspected after a report of damp and mould.",
            "homes",
            "quarterly",
            reporters=((COORDINATOR, "city"),),
            target="900",
            target_date=dt.date(2027, 9, 30),
            verification="Inspection reports.",
            even_period_targets=True,
            split={"neighbourhood": {"Eastbank": 0.5, "Old Mill": 0.35, "Northgate": 0.15}},
            plan=Plan(pace=1.0, noise=0.1),
        ),
        IndicatorDemo(
            "lonely_often",
            "lonely",
            "Older people who often feel lonely",
            "The share of residents aged 65 and over in the three wards who say they feel "
            "lonely often or always.",
            "%",
            "semiannual",
            reporters=((RACHEL, "healthtrust"),),
            measure="2",
            direction="decrease",
            aggregation="latest",
            baseline="31",
            target="22",
            target_date=dt.date(2027, 9, 30),
            places=1,
            verification="The residents' survey, question 14.",
            plan=Plan(pace=1.0, noise=0.03, recent=("missing", "missing")),
        ),
        IndicatorDemo(
            "referrals",
            "prescribing",
            "Social prescribing referrals",
            "Referrals from GPs to a link worker.",
            "referrals",
            "quarterly",
            reporters=((RACHEL, "healthtrust"),),
            target="3000",
            target_date=dt.date(2027, 9, 30),
            verification="The link workers' referral log.",
            split={"age band": {"18-24": 0.05, "25-64": 0.35, "65+": 0.6}},
            plan=Plan(pace=1.3, noise=0.12, recent=("missing",)),
        ),
        IndicatorDemo(
            "stories",
            "lonely",
            "What residents say has changed",
            "Stories of change collected by the community health champions.",
            "",
            "semiannual",
            reporters=((FATIMA, "healthngo"),),
            measure="5",
            baseline=None,
            target_date=dt.date(2027, 9, 30),
            verification="Interview notes of the community health champions.",
            texts=(
                "Residents of Eastbank say the cooking clubs brought families to the school "
                "who had never come before; three parents now run sessions themselves.",
                "Older people in Old Mill describe the walking group as the reason they leave "
                "the house each week; several mention fewer visits to the GP.",
                "Tenants in Northgate say landlords now answer damp reports because they know "
                "the council will inspect; some still wait months.",
                "Parents say the pantry's fresh food and benefits advice made the summer "
                "holidays easier; some would like it to open on Saturdays.",
                "Link workers hear that groups are full; residents ask for more activities in "
                "the evenings and for men.",
            ),
        ),
    ),
    comments=(
        CommentDemo(
            "pantry",
            6,
            "ellen.marsh@example.org",
            "Residents at the Eastbank meeting asked whether the pantry could open on "
            "Saturday mornings.",
        ),
    ),
)

WINTER_RESULTS = FrameworkDemo(
    partnership=WINTER,
    reviewers=(GRACE, TOM),
    dimensions=(SEX_DIMENSION, AGE_BAND),
    objectives=(
        ObjectiveDemo(
            "impact",
            "impact",
            "No one sleeps out in Riverside on a winter night",
            "From November to March, everyone sleeping rough is offered a warm bed.",
            sdg_targets=("1.4", "11.1"),
            partners=("shelter", "city"),
        ),
        ObjectiveDemo(
            "moved_on",
            "outcome",
            "Guests move on to a settled home",
            "The caseworker helps every guest towards housing before the shelter closes.",
            parent="impact",
            sdg_targets=("11.1",),
            partners=("shelter", "intl"),
        ),
        ObjectiveDemo(
            "nobody_turned_away",
            "outcome",
            "Nobody is turned away on a cold night",
            "There is always a bed when someone asks for one.",
            parent="impact",
            partners=("shelter",),
        ),
        ObjectiveDemo(
            "beds",
            "output",
            "Thirty beds a night in church and community halls",
            parent="nobody_turned_away",
            description="Venues take turns; trained volunteers stay overnight.",
            partners=("shelter", "foundation"),
        ),
        ObjectiveDemo(
            "meals",
            "output",
            "An evening meal and breakfast every night",
            "Cooked by the food bank's volunteers.",
            parent="nobody_turned_away",
            partners=("foodbank",),
        ),
    ),
    indicators=(
        IndicatorDemo(
            "rough_sleepers",
            "impact",
            "Rough sleepers counted on a single night",
            "People seen sleeping rough on the night of the monthly street count.",
            "people",
            "monthly",
            reporters=((GRACE, "shelter"),),
            direction="decrease",
            aggregation="latest",
            baseline="23",
            target="5",
            sdg="11.1.1",
            verification="Street count sheets.",
            split={"sex": ROUGH_SLEEPERS_SEX},
            plan=Plan(pace=1.15, noise=0.05),
        ),
        IndicatorDemo(
            "moved_on",
            "moved_on",
            "Guests moved on to settled or supported housing",
            "Guests who left the shelter for a tenancy or a supported housing place.",
            "people",
            "monthly",
            reporters=((GRACE, "shelter"),),
            target="60",
            verification="The caseworker's records.",
            split={"sex": ROUGH_SLEEPERS_SEX, "age band": ADULT_AGES},
            plan=Plan(pace=0.85, noise=0.15, season=(1, 1.2, 1.6, 1, 1, 1, 1, 1, 1, 1, 0.4, 0.6)),
        ),
        IndicatorDemo(
            "turned_away",
            "nobody_turned_away",
            "Nights when someone was turned away for lack of a bed",
            "Nights on which the shelter was full and someone asking for a bed was not "
            "offered one anywhere.",
            "nights",
            "monthly",
            reporters=((GRACE, "shelter"),),
            direction="decrease",
            baseline="41",
            target="0",
            verification="The shelter's nightly log.",
            plan=Plan(pace=0.0, noise=0.0),
        ),
        IndicatorDemo(
            "bed_nights",
            "beds",
            "Bed-nights provided",
            "Beds occupied, night by night.",
            "bed-nights",
            "monthly",
            reporters=((GRACE, "shelter"),),
            target="4500",
            period_targets=("900", "930", "930", "840", "900"),
            verification="The shelter's nightly register.",
            plan=Plan(pace=1.02, noise=0.02),
        ),
        IndicatorDemo(
            "occupancy",
            "beds",
            "Beds occupied each night",
            "The share of the thirty beds occupied, averaged over the nights of the month.",
            "%",
            "monthly",
            reporters=((GRACE, "shelter"),),
            measure="2",
            direction="maintain",
            aggregation="average",
            baseline="85",
            target="90",
            verification="The shelter's nightly register.",
            plan=Plan(pace=1.0, noise=0.04),
        ),
        IndicatorDemo(
            "meals",
            "meals",
            "Evening meals and breakfasts served",
            "Meals served at the shelter's venues.",
            "meals",
            "monthly",
            reporters=((PARTNER, "foodbank"),),
            target="9000",
            verification="The food bank's kitchen sheets.",
            plan=Plan(pace=1.03, noise=0.03, corrected=(2,)),
            return_comment="The January figure includes the meals at the day centre; count "
            "the shelter's meals only.",
        ),
    ),
)

FRAMEWORKS = (
    HOMELESSNESS_RESULTS,
    FLOOD_RESULTS,
    YOUTH_RESULTS,
    HEALTHY_RESULTS,
    WINTER_RESULTS,
)
