"""The demo scenario that `commonground seed` writes: the fictional city of Riverside.

Plain data only; the command turns it into rows through the services. The lists at the end feed
the generated benchmark data (`seed --scale M|L`).
"""

import datetime as dt
from dataclasses import dataclass

DEMO_PASSWORD = "demo"  # noqa: S105 - the published password of the demo logins
COUNTRY = "GB"


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    org_type: str  # IATI OrganisationType
    website: str = ""
    identifier: str = ""


@dataclass(frozen=True)
class PersonSpec:
    email: str
    full_name: str
    # Set for the published demo logins: what the person can do (shown after seeding).
    login: str = ""
    admin: bool = False


@dataclass(frozen=True)
class PartnerSpec:
    org: str
    role: str  # PartnerRole value
    aims: str


@dataclass(frozen=True)
class SeatSpec:
    email: str
    org: str
    role: str  # SeatRole value


@dataclass(frozen=True)
class PartnershipSpec:
    title: str
    purpose: str
    vision: str
    problem_statement: str
    geography: str
    start_date: dt.date
    end_date: dt.date | None
    status: str  # IATI ActivityStatus
    sectors: tuple[str, ...]  # OECD DAC 3-digit sector categories
    sdg_goals: tuple[int, ...]
    coordinator: str  # creates the partnership and becomes its coordinator for the lead
    partners: tuple[PartnerSpec, ...]  # the lead partner first
    seats: tuple[SeatSpec, ...]  # seats besides the creator's


# fmt: off
ORGANISATIONS = (
    OrganisationSpec("city", "Riverside City Council", "11",
                     "https://www.riverside.example", "GB-LAE-RVS"),
    OrganisationSpec("shelter", "Riverside Shelter Network", "22",
                     "https://shelternetwork.riverside.example", "GB-CHC-1180231"),
    OrganisationSpec("foodbank", "Riverside Food Bank", "22",
                     "https://foodbank.riverside.example", "GB-CHC-1143377"),
    OrganisationSpec("youth", "Pathways Youth Employment", "22",
                     "https://pathways-youth.example", "GB-CHC-1167052"),
    OrganisationSpec("river", "Mill River Trust", "22",
                     "https://millrivertrust.example", "GB-CHC-1099812"),
    OrganisationSpec("healthngo", "Healthy Futures Riverside", "22",
                     "https://healthyfutures.example"),
    OrganisationSpec("tenants", "Riverside Tenants' Union", "22"),
    OrganisationSpec("intl", "Homes for All International", "21",
                     "https://homesforall.example", "GB-CHC-1055431"),
    OrganisationSpec("water", "Meridian Water Ltd", "70",
                     "https://www.meridianwater.example", "GB-COH-04127733"),
    OrganisationSpec("retail", "Northgate Retail Group plc", "70",
                     "https://www.northgate-retail.example", "GB-COH-02219846"),
    OrganisationSpec("foundation", "Riverside Community Foundation", "60",
                     "https://riversidefoundation.example", "GB-CHC-1122448"),
    OrganisationSpec("university", "University of Riverside", "80",
                     "https://www.uni-riverside.example"),
    OrganisationSpec("college", "Riverside College", "80", "https://www.riverside-college.example"),
    OrganisationSpec("healthtrust", "Riverside Health and Care Trust", "15",
                     "https://www.riversidehealth.example"),
    # Residents' associations: IATI has no community-group type; a national NGO (organised and
    # operating within one country) is the closest fit.
    OrganisationSpec("eastbank", "Eastbank Residents' Association", "22"),
    OrganisationSpec("oldmill", "Old Mill Estate Residents' Association", "22"),
)
# fmt: on

ADMIN_EMAIL = "admin@example.org"
COORDINATOR = "coordinator@example.org"
PARTNER = "partner@example.org"
VIEWER = "viewer@example.org"
OUTSIDER = "outsider@example.org"

# fmt: off
PEOPLE = (
    PersonSpec(COORDINATOR, "Maya Okafor",
               login="Coordinator of 4 partnerships, for Riverside City Council"),
    PersonSpec(PARTNER, "Daniel Reyes",
               login="Reporter for Riverside Food Bank in 3 partnerships"),
    PersonSpec(VIEWER, "Priya Shah",
               login="Viewer for Riverside Community Foundation in 3 partnerships"),
    PersonSpec(OUTSIDER, "Oliver Grant", login="Signed in, but no seat in any partnership"),
    PersonSpec(ADMIN_EMAIL, "Alex Morgan", login="Site admin (staff and superuser)", admin=True),
    PersonSpec("grace.whitfield@example.org", "Grace Whitfield",
               login="Editor for Riverside Shelter Network; coordinator of the winter pilot"),
    PersonSpec("tom.bennett@example.org", "Tom Bennett"),
    PersonSpec("david.chen@example.org", "David Chen"),
    PersonSpec("chris.doyle@example.org", "Chris Doyle"),
    PersonSpec("amara.nwosu@example.org", "Amara Nwosu"),
    PersonSpec("lucas.ferreira@example.org", "Lucas Ferreira"),
    PersonSpec("hannah.kowalski@example.org", "Hannah Kowalski"),
    PersonSpec("james.osei@example.org", "James Osei"),
    PersonSpec("fatima.haddad@example.org", "Fatima Haddad"),
    PersonSpec("rachel.obrien@example.org", "Rachel O'Brien"),
    PersonSpec("kwame.asante@example.org", "Kwame Asante"),
    PersonSpec("sophie.laurent@example.org", "Sophie Laurent"),
    PersonSpec("nadia.rahman@example.org", "Nadia Rahman"),
    PersonSpec("ben.carter@example.org", "Ben Carter"),
    PersonSpec("ellen.marsh@example.org", "Ellen Marsh"),
    PersonSpec("mark.hughes@example.org", "Mark Hughes"),
    PersonSpec("leila.mansour@example.org", "Leila Mansour"),
)
# fmt: on

HOMELESSNESS = PartnershipSpec(
    title="Riverside Homelessness Response",
    purpose=(
        "Make homelessness in Riverside rare, brief and non-recurring by joining up outreach, "
        "emergency accommodation, food, health care and the route into a settled home."
    ),
    vision="Everyone in Riverside has a safe, settled place to call home.",
    problem_statement=(
        "Rough sleeping in Riverside has doubled since 2021 and 640 households live in temporary "
        "accommodation. Services work in silos: people tell their story five times, fall "
        "between hospital discharge and housing, and lose their place when a hostel closes."
    ),
    geography="Riverside city centre and the Eastbank and Old Mill wards",
    start_date=dt.date(2024, 4, 1),
    end_date=dt.date(2027, 3, 31),
    status="2",
    sectors=("160", "151", "121"),
    sdg_goals=(1, 3, 10, 11),
    coordinator=COORDINATOR,
    partners=(
        PartnerSpec(
            "city",
            "lead",
            "Run the shared case list and the monthly partnership "
            "meeting; open 120 new supported homes by March 2027.",
        ),
        PartnerSpec(
            "shelter",
            "implementing",
            "Street outreach seven nights a week and a "
            "single assessment that every partner accepts.",
        ),
        PartnerSpec(
            "foodbank",
            "implementing",
            "Hot meals at the day centre and food parcels "
            "for every household moving into a new tenancy.",
        ),
        PartnerSpec(
            "healthtrust",
            "implementing",
            "No one discharged from hospital to the street: a housing worker on every acute ward.",
        ),
        PartnerSpec(
            "tenants",
            "advisory",
            "Bring tenants' experience of evictions to the table "
            "and co-design the tenancy sustainment offer.",
        ),
        PartnerSpec(
            "foundation",
            "funding",
            "Fund the lived-experience panel and a small grants pot for deposits and furniture.",
        ),
        PartnerSpec(
            "intl",
            "advisory",
            "Share Housing First practice from twelve cities and "
            "review the model's fidelity each year.",
        ),
    ),
    seats=(
        SeatSpec("grace.whitfield@example.org", "shelter", "editor"),
        SeatSpec("tom.bennett@example.org", "city", "editor"),
        SeatSpec(PARTNER, "foodbank", "reporter"),
        SeatSpec("rachel.obrien@example.org", "healthtrust", "reporter"),
        SeatSpec(VIEWER, "foundation", "viewer"),
        SeatSpec("ben.carter@example.org", "tenants", "viewer"),
        SeatSpec("leila.mansour@example.org", "intl", "viewer"),
    ),
)

FLOOD = PartnershipSpec(
    title="Riverside Flood Resilience Coalition",
    purpose=(
        "Reduce the harm floods do to Riverside's homes and businesses through natural flood "
        "management upstream, sustainable drainage in the city and prepared neighbourhoods."
    ),
    vision="A city that lives with its river: fewer homes flooded, faster recovery.",
    problem_statement=(
        "The Mill River burst its banks in 2020 and 2023, flooding 1,100 homes. Combined sewers "
        "overflow in heavy rain, and the households most at risk are the least insured."
    ),
    geography="The Mill River catchment from Hatton Moor to the Riverside estuary",
    start_date=dt.date(2025, 1, 15),
    end_date=dt.date(2028, 12, 31),
    status="2",
    sectors=("410", "740", "140"),
    sdg_goals=(6, 11, 13),
    coordinator=COORDINATOR,
    partners=(
        PartnerSpec(
            "city",
            "lead",
            "Deliver the flood defence capital programme and a flood plan for every ward at risk.",
        ),
        PartnerSpec(
            "river",
            "implementing",
            "Restore 40 hectares of upstream wetland and plant 25,000 trees to slow the flow.",
        ),
        PartnerSpec(
            "water",
            "funding",
            "Fund sustainable drainage in twelve streets and cut storm overflow spills by half.",
        ),
        PartnerSpec(
            "university",
            "advisory",
            "Model flood risk under the new climate projections and evaluate what works.",
        ),
        PartnerSpec(
            "eastbank",
            "implementing",
            "Recruit and train flood wardens in every street of Eastbank.",
        ),
        PartnerSpec(
            "oldmill",
            "observer",
            "Keep Old Mill residents informed and raise their concerns early.",
        ),
        PartnerSpec(
            "foundation",
            "funding",
            "A resilience fund for uninsured households to buy flood doors and air bricks.",
        ),
    ),
    seats=(
        SeatSpec("david.chen@example.org", "city", "coordinator"),
        SeatSpec("lucas.ferreira@example.org", "river", "editor"),
        SeatSpec("james.osei@example.org", "water", "reporter"),
        SeatSpec("hannah.kowalski@example.org", "university", "reporter"),
        SeatSpec("ellen.marsh@example.org", "eastbank", "reporter"),
        SeatSpec("mark.hughes@example.org", "oldmill", "viewer"),
        SeatSpec(VIEWER, "foundation", "viewer"),
    ),
)

YOUTH = PartnershipSpec(
    title="Youth Employment Compact",
    purpose=(
        "Give every young person in Riverside aged 16 to 24 who is not in education, employment "
        "or training a route into a good first job within six months."
    ),
    vision="No young person in Riverside left without a next step.",
    problem_statement=(
        "One in seven young people in Riverside is not in education, employment or training, "
        "twice the regional rate. Employers report vacancies they cannot fill, yet few offer "
        "apprenticeships or placements to young people without experience."
    ),
    geography="City of Riverside",
    start_date=dt.date(2025, 9, 1),
    end_date=dt.date(2027, 8, 31),
    status="2",
    sectors=("113", "114", "250"),
    sdg_goals=(4, 8, 10),
    coordinator="amara.nwosu@example.org",
    partners=(
        PartnerSpec(
            "youth",
            "lead",
            "Coach 600 young people a year and broker their placements with employers.",
        ),
        PartnerSpec(
            "city", "funding", "Fund the coaching team and open 50 council apprenticeships."
        ),
        PartnerSpec(
            "retail",
            "implementing",
            "Offer 80 paid work placements a year and guarantee an interview afterwards.",
        ),
        PartnerSpec(
            "water", "implementing", "Take on 20 engineering apprentices a year from the compact."
        ),
        PartnerSpec(
            "college",
            "implementing",
            "Short courses in the skills employers ask for, starting every month.",
        ),
        PartnerSpec(
            "foundation",
            "funding",
            "Travel and equipment bursaries so that cost is never the reason to drop out.",
        ),
    ),
    seats=(
        SeatSpec(COORDINATOR, "city", "coordinator"),
        SeatSpec("sophie.laurent@example.org", "college", "editor"),
        SeatSpec("kwame.asante@example.org", "retail", "reporter"),
        SeatSpec("nadia.rahman@example.org", "foundation", "reporter"),
        SeatSpec("james.osei@example.org", "water", "viewer"),
    ),
)

HEALTHY = PartnershipSpec(
    title="Healthy Neighbourhoods Alliance",
    purpose=(
        "Close the eight-year gap in healthy life expectancy between Riverside's richest and "
        "poorest neighbourhoods, starting with food, damp homes and loneliness."
    ),
    vision="Where you live in Riverside no longer decides how long you live well.",
    problem_statement=(
        "Healthy life expectancy in Eastbank is 56 years, against 64 across the city. Child "
        "obesity, damp and mould, and isolation among older people drive most of the gap."
    ),
    geography="Eastbank, Old Mill and Northgate wards",
    start_date=dt.date(2024, 10, 1),
    end_date=None,
    status="2",
    sectors=("121", "122", "123"),
    sdg_goals=(2, 3, 11),
    coordinator=COORDINATOR,
    partners=(
        PartnerSpec(
            "city",
            "lead",
            "Lead the alliance through the public health team and "
            "enforce repairs in damp private rentals.",
        ),
        PartnerSpec(
            "healthngo",
            "implementing",
            "Run community health champions in 30 streets "
            "and cooking clubs in every primary school.",
        ),
        PartnerSpec(
            "healthtrust",
            "implementing",
            "Social prescribing in every GP practice of the three wards.",
        ),
        PartnerSpec(
            "foodbank",
            "implementing",
            "Turn the food bank into a community pantry with fresh food and benefits advice.",
        ),
        PartnerSpec(
            "university", "advisory", "Measure the gap each year and publish what we learn."
        ),
        PartnerSpec(
            "eastbank",
            "advisory",
            "Make sure residents shape the priorities and hear back what changed.",
        ),
        PartnerSpec("tenants", "observer", "Report damp and mould cases that landlords ignore."),
    ),
    seats=(
        SeatSpec("fatima.haddad@example.org", "healthngo", "editor"),
        SeatSpec("hannah.kowalski@example.org", "university", "editor"),
        SeatSpec(PARTNER, "foodbank", "reporter"),
        SeatSpec("rachel.obrien@example.org", "healthtrust", "reporter"),
        SeatSpec("ellen.marsh@example.org", "eastbank", "viewer"),
        SeatSpec("chris.doyle@example.org", "city", "viewer"),
    ),
)

WINTER = PartnershipSpec(
    title="Winter Night Shelter Pilot 2024/25",
    purpose=(
        "Open a rotating winter night shelter in church and community halls so that no one "
        "sleeps out in Riverside during the coldest months."
    ),
    vision="A warm bed and a way forward for everyone on a winter night.",
    problem_statement=(
        "Two people died sleeping rough in Riverside in the winter of 2023. Emergency beds "
        "ran out on 41 nights that winter."
    ),
    geography="Riverside city centre",
    start_date=dt.date(2024, 11, 1),
    end_date=dt.date(2025, 3, 31),
    status="4",
    sectors=("160", "720"),
    sdg_goals=(1, 11),
    coordinator="grace.whitfield@example.org",
    partners=(
        PartnerSpec(
            "shelter",
            "lead",
            "Run 30 beds a night for 150 nights with trained volunteers and a caseworker.",
        ),
        PartnerSpec("city", "funding", "Fund the caseworker and the venues' extra running costs."),
        PartnerSpec("foundation", "funding", "Match-fund volunteer training and bedding."),
        PartnerSpec(
            "foodbank",
            "implementing",
            "An evening meal and breakfast every night the shelter is open.",
        ),
        PartnerSpec(
            "intl", "advisory", "Advise on safeguarding and on moving guests on to settled housing."
        ),
    ),
    seats=(
        SeatSpec("tom.bennett@example.org", "city", "editor"),
        SeatSpec(PARTNER, "foodbank", "reporter"),
        SeatSpec(VIEWER, "foundation", "viewer"),
    ),
)

PARTNERSHIPS = (HOMELESSNESS, FLOOD, YOUTH, HEALTHY, WINTER)

# Generated benchmark data (`seed --scale M|L`): names are combinations of these lists.

# fmt: off
BULK_PLACES = (
    "Alderbury", "Ashcombe", "Barrowfield", "Beckford", "Birchmoor", "Blackwater", "Bramley Vale",
    "Brookhaven", "Castlemere", "Cedar Hill", "Claymore", "Coldharbour", "Dunmore", "Eastwick",
    "Elmstead", "Fairhaven", "Fenwick", "Glenmoor", "Greenholme", "Hartwell", "Hatton Moor",
    "Hollybank", "Kingsmead", "Larkhill", "Lindenfield", "Marsh End", "Millbrook", "Northfleet",
    "Oakridge", "Pennington", "Queensbury", "Redbridge Vale", "Rosewood", "Saltmarsh",
    "Southmoor", "Stonebridge", "Thornbury", "Westmere", "Willowdale", "Yarrow",
)
# fmt: on

# (name after the place, IATI organisation type)
# fmt: off
BULK_ORG_KINDS = (
    ("Borough Council", "11"), ("Town Council", "11"), ("Parish Council", "11"),
    ("Health Trust", "15"), ("Fire and Rescue Service", "15"), ("Housing Authority", "15"),
    ("Food Bank", "22"), ("Youth Trust", "22"), ("Shelter Project", "22"),
    ("Tenants' Association", "22"), ("Residents' Forum", "22"), ("Community Kitchen", "22"),
    ("Carers' Network", "22"), ("Wildlife Trust", "22"), ("Rivers Trust", "22"),
    ("Mental Health Alliance", "22"), ("Refugee Welcome", "22"), ("Women's Centre", "22"),
    ("Older People's Forum", "22"), ("Disability Forum", "22"), ("Sports Trust", "22"),
    ("Arts Collective", "22"), ("Law Centre", "22"), ("Advice Centre", "22"),
    ("Allotment Society", "22"), ("Repair Café", "22"), ("Mutual Aid Group", "22"),
    ("Literacy Project", "22"), ("Family Hub", "22"), ("Housing Association", "22"),
    ("Climate Action Network", "23"), ("Development Trust", "23"),
    ("Community Foundation", "60"), ("Charitable Trust", "60"), ("Heritage Fund", "60"),
    ("Builders Ltd", "70"), ("Energy Ltd", "70"), ("Logistics Ltd", "70"), ("Bakery Ltd", "70"),
    ("Digital Ltd", "70"), ("Water Company", "70"), ("Bus Company", "70"),
    ("Engineering Ltd", "70"), ("Solar Ltd", "70"),
    ("College", "80"), ("Institute of Technology", "80"), ("Research Centre", "80"),
    ("Credit Union", "90"), ("Chamber of Commerce", "90"), ("Community Energy Co-op", "90"),
)
# fmt: on

# (name after the place, sector categories, SDG goals, what the partnership is for)
type BulkTheme = tuple[str, tuple[str, ...], tuple[int, ...], str]

# fmt: off
BULK_THEMES: tuple[BulkTheme, ...] = (
    ("Food Security Partnership", ("520", "311"), (2, 12),
     "end hunger and food waste through pantries, growing schemes and surplus redistribution"),
    ("Homelessness Taskforce", ("160",), (1, 11), "prevent homelessness and end rough sleeping"),
    ("Flood Resilience Group", ("410", "740"), (11, 13),
     "protect homes from flooding and prepare neighbourhoods to recover quickly"),
    ("Youth Jobs Compact", ("113", "250"), (4, 8),
     "bring young people who are out of work into apprenticeships and first jobs"),
    ("Healthy Ageing Alliance", ("121", "122"), (3, 10),
     "help older residents live well and independently for longer"),
    ("Clean Air Partnership", ("410", "210"), (3, 11), "cut traffic pollution near schools"),
    ("Warm Homes Programme", ("231", "323"), (7, 13),
     "insulate cold homes and lower energy bills for low-income households"),
    ("Digital Inclusion Network", ("220", "111"), (4, 10),
     "get every resident online with a device, data and the skills to use them"),
    ("Early Years Partnership", ("112", "122"), (3, 4),
     "give every child the best start in the first five years"),
    ("Community Safety Partnership", ("152",), (16,), "reduce violence and help victims recover"),
    ("Refugee Welcome Partnership", ("930",), (10, 16),
     "welcome refugees with housing, language classes and work"),
    ("Mental Health Collaborative", ("122", "123"), (3,),
     "offer support for mental health close to home and without long waits"),
    ("Green Spaces Trust", ("410",), (11, 15), "restore parks and plant street trees"),
    ("Active Travel Coalition", ("210",), (3, 11), "make walking and cycling the easy choice"),
    ("Adult Skills Partnership", ("114", "111"), (4, 8),
     "help adults gain the qualifications and skills local employers need"),
    ("Local Food Economy Network", ("311", "250"), (2, 8),
     "grow the local food economy from farm to market"),
    ("Water Stewardship Partnership", ("140", "410"), (6, 14),
     "clean up the river and cut storm overflows"),
    ("Circular Economy Alliance", ("410", "321"), (12,), "cut waste and grow repair and reuse"),
    ("Social Enterprise Network", ("250", "240"), (8, 10),
     "help social enterprises start, grow and win contracts"),
    ("Affordable Housing Compact", ("160", "323"), (1, 11),
     "build more genuinely affordable homes"),
    ("Community Energy Partnership", ("232", "236"), (7, 13),
     "put renewable energy in community ownership"),
    ("Family Support Network", ("160", "151"), (1, 5),
     "support families under pressure before crisis strikes"),
    ("Heritage and Culture Partnership", ("160", "332"), (8, 11),
     "bring heritage buildings back to community use"),
    ("Domestic Abuse Partnership", ("152", "151"), (5, 16),
     "keep survivors of domestic abuse safe and hold perpetrators to account"),
    ("Inclusive Growth Compact", ("250", "160"), (8, 10),
     "make sure new jobs and investment reach the neighbourhoods that need them most"),
)
# fmt: on

# fmt: off
BULK_FIRST_NAMES = (
    "Aisha", "Alan", "Amelia", "Ana", "Arjun", "Bea", "Carlos", "Chloe", "Chen", "Dara",
    "Elena", "Emeka", "Erin", "Farah", "Finn", "Gita", "Hamza", "Ines", "Isaac", "Jade",
    "Jonas", "Kai", "Kemi", "Laila", "Liam", "Lucia", "Malik", "Maria", "Mei", "Mohammed",
    "Nia", "Noah", "Olga", "Omar", "Paula", "Pedro", "Rosa", "Ruth", "Sana", "Sean",
    "Simone", "Tariq", "Tess", "Umar", "Vera", "Wei", "Yara", "Yusuf", "Zara", "Zoe",
)
# fmt: on

# fmt: off
BULK_LAST_NAMES = (
    "Abbott", "Adebayo", "Ahmed", "Baker", "Banda", "Bianchi", "Byrne", "Campbell", "Costa",
    "Das", "Dubois", "Evans", "Fischer", "Fraser", "Garcia", "Gill", "Green", "Hall", "Hassan",
    "Ito", "Jansen", "Jones", "Kaur", "Kelly", "Khan", "Kim", "Lewis", "Lopez", "Mahmoud",
    "Mensah", "Moreau", "Murphy", "Nakamura", "Novak", "Owusu", "Patel", "Petrov", "Quinn",
    "Rossi", "Santos", "Silva", "Singh", "Taylor", "Turner", "Walsh", "Wang", "Watson",
    "Williams", "Yilmaz", "Zhou",
)
# fmt: on

# Aims per partner role for generated partnerships; {theme} is the partnership's purpose.
BULK_AIMS = {
    "lead": "Convene the partners and keep the plan to {theme} on track.",
    "funding": "Fund the work to {theme}, and see the money reach the people it is for.",
    "implementing": "Deliver our part of the plan to {theme}, and report on it every quarter.",
    "advisory": "Advise on what works elsewhere to {theme}.",
    "observer": "Follow the work to {theme} and speak up for our members.",
}
