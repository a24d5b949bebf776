"""The catalogue as data: the accredited programmes and Structured Interventions, their
session templates where one is published, and the replacement of the Thinking Skills
Programme by Building Choices.

Written here rather than read at run time, so the catalogue a database holds is the one
this migration says (a later change is another migration). Sources: the HMPPS Accredited
Programmes API (courses, intensities, legacy courses), HMPPS Accredited Programmes:
Manage and Deliver (the Building Choices session data), the judicial brochures on gov.uk
and the HMPPS Brochure of probation interventions; each row names its own.

Where no template is published the row says exactly what is and is not known, with no
modules, so no group can be scheduled from an invented one.
"""

from datetime import date
from typing import Any

from django.db import migrations

# Building Choices' date in this service: the sources say it was first delivered in the
# East of England, Kent, Surrey and Sussex, and London, and give no national date; we
# take the start of the 2024-25 business year (docs/domain/programmes.md says so).
BUILDING_CHOICES_FROM = date(2024, 4, 1)
# Legacy courses had stopped taking referrals before unification; their national
# roll-down dates are not published, so they are withdrawn from the Probation Service's
# first day.
UNIFICATION = date(2021, 6, 26)

AP_BROCHURE = "gov.uk judicial brochure: accredited programmes"
AP_API_INTENSITY = "HMPPS Accredited Programmes API, V112 course intensity"
AP_API_LEGACY = "HMPPS Accredited Programmes API, V51 legacy courses"
SI_BROCHURE = "HMPPS Brochure of probation interventions: Structured Interventions"


def _group(name, minutes=150):
    return {"name": name, "kind": "GROUP", "minutes": minutes}


def _one(name, minutes=60):
    return {"name": name, "kind": "ONE_TO_ONE", "minutes": minutes}


BUILDING_CHOICES_MODERATE = [
    {"name": "Pre-group", "sessions": [_one("Pre-group one-to-one")]},
    {
        "name": "Getting started",
        "sessions": [
            _group("Getting started 1"),
            _group("Getting started 2"),
            _one("Getting started one-to-one"),
        ],
    },
    {
        "name": "Managing myself",
        "sessions": [
            *(_group(f"Managing myself {n}") for n in range(1, 7)),
            _one("Managing myself one-to-one"),
        ],
    },
    {
        "name": "Managing life's problems",
        "sessions": [
            *(_group(f"Managing life's problems {n}") for n in range(1, 5)),
            _one("Managing life's problems one-to-one"),
        ],
    },
    {
        "name": "Managing people around me",
        "sessions": [
            *(_group(f"Managing people around me {n}") for n in range(1, 7)),
            _one("Managing people around me one-to-one"),
        ],
    },
    {
        "name": "Bringing it all together",
        "sessions": [_group(f"Bringing it all together {n}") for n in (1, 2, 3)],
    },
    {"name": "Post programme review", "sessions": [_one("Post programme review")]},
]

# (code, name, kind, intensity, need area, audience, eligibility, men, women, typical weeks,
#  source, available_from, withdrawn_on, region, template note or modules)
ACCREDITED = "ACCREDITED"
STRUCTURED = "STRUCTURED"
NOT_PUBLISHED = "No session template is published in our sources."

CATALOGUE: list[dict[str, Any]] = [
    {
        "code": "building-choices-high",
        "name": "Building Choices: high intensity",
        "kind": ACCREDITED,
        "intensity": "HIGH",
        "need_area": "GENERAL",
        "audience": "Men and women aged 18 and over, including those with learning disabilities and challenges, at high risk with high need",
        "eligibility": "PNI_HIGH",
        "typical_weeks": 25,
        "source": f"{AP_BROCHURE}; HMPPS Accredited Programmes API, V97 Building Choices courses",
        "available_from": BUILDING_CHOICES_FROM,
        "replaces": ["thinking-skills-programme"],
        "note": "Known: about 17 to 25 weeks at 2 or 3 sessions a week. Not published: the modules, sessions and their minutes.",
    },
    {
        "code": "building-choices-moderate",
        "name": "Building Choices: moderate intensity",
        "kind": ACCREDITED,
        "intensity": "MODERATE",
        "need_area": "GENERAL",
        "audience": "Men and women aged 18 and over, including those with learning disabilities and challenges, at medium risk with medium need",
        "eligibility": "PNI_MODERATE",
        "typical_weeks": 13,
        "source": f"{AP_BROCHURE}; HMPPS Manage and Deliver API, V56 and V74 Building Choices session data",
        "available_from": BUILDING_CHOICES_FROM,
        "replaces": ["thinking-skills-programme"],
        "modules": BUILDING_CHOICES_MODERATE,
    },
    {
        "code": "thinking-skills-programme",
        "name": "Thinking Skills Programme",
        "kind": ACCREDITED,
        "intensity": "MODERATE",
        "need_area": "ATB",
        "audience": "Men and women at medium risk of reoffending and above (OGRS3 50% or more)",
        "eligibility": "OGRS3_50",
        "source": f"{AP_API_INTENSITY}; Thames Valley Probation, Thinking Skills Programme (archived)",
        "note": "Known: 19 sessions (15 group, 4 one-to-one) and a post-programme review, about 40 hours, in three modules (self-control, problem solving, positive relationships). Not published: the order of the sessions and their minutes.",
    },
    {
        "code": "building-better-relationships",
        "name": "Building Better Relationships",
        "kind": ACCREDITED,
        "intensity": "MODERATE",
        "need_area": "DA",
        "audience": "Men aged 18 and over with an intimate partner violence conviction, SARA medium or high, able to discuss at least one act of it",
        "eligibility": "IPV_SARA",
        "women": False,
        "source": f"{AP_API_INTENSITY}; BBR programme overview (slideplayer)",
        "note": "Known: a Partner Link Worker supports partners; ideally the order or licence runs 2 years. Not published: the number of sessions, their order and minutes.",
    },
    {
        "code": "horizon",
        "name": "Horizon",
        "kind": ACCREDITED,
        "intensity": "MODERATE",
        "need_area": "SEXUAL",
        "audience": "People convicted of sexual offending at medium risk or higher",
        "eligibility": "SEXUAL",
        "source": f"{AP_API_INTENSITY}; BSB Law, rehabilitation options in indecent images cases",
        "note": "Known: up to 35 sessions, including 31 group sessions. Not published: the modules, the order of the sessions and their minutes.",
    },
    {
        "code": "ihorizon",
        "name": "iHorizon",
        "kind": ACCREDITED,
        "intensity": "MODERATE",
        "need_area": "SEXUAL",
        "audience": "People convicted of internet sexual offences at lower risk",
        "eligibility": "SEXUAL",
        "source": f"{AP_API_INTENSITY}; BSB Law, rehabilitation options in indecent images cases",
        "note": "Known: around 27 sessions (23 group, 3 one-to-one and a final review). Not published: the modules, the order of the sessions and their minutes.",
    },
    {
        "code": "kaizen",
        "name": "Kaizen",
        "kind": ACCREDITED,
        "intensity": "HIGH",
        "need_area": "VIOLENCE",
        "audience": "Adult men at high or very high risk with violent or sexual convictions",
        "eligibility": "PNI_HIGH",
        "women": False,
        "source": f"{AP_API_INTENSITY}; Prison Reform Trust, Inside Time",
        "note": "Known: three phases; the first, Getting Going, is about 7 sessions. Not published: the other phases, the sessions and their minutes.",
    },
    {
        "code": "new-me-strengths",
        "name": "New Me Strengths",
        "kind": ACCREDITED,
        "intensity": "MODERATE",
        "need_area": "LDC",
        "audience": "People with learning disabilities and challenges at moderate risk and need",
        "eligibility": "ASSESSED",
        "source": AP_API_INTENSITY,
        "note": f"{NOT_PUBLISHED} Its eligibility and number of sessions are not published either.",
    },
    {
        "code": "becoming-new-me-plus",
        "name": "Becoming New Me Plus",
        "kind": ACCREDITED,
        "intensity": "HIGH",
        "need_area": "LDC",
        "audience": "People with learning disabilities and challenges at high risk and need",
        "eligibility": "ASSESSED",
        "source": AP_API_INTENSITY,
        "note": f"{NOT_PUBLISHED} Its eligibility and number of sessions are not published either.",
    },
    {
        "code": "building-skills-for-recovery",
        "name": "Building Skills for Recovery",
        "kind": ACCREDITED,
        "intensity": "MODERATE",
        "need_area": "SUBSTANCE",
        "audience": "People whose offending is linked to substance misuse",
        "eligibility": "ASSESSED",
        "source": "Kent, Surrey and Sussex CRC, new drug and alcohol recovery programme (2016)",
        "note": f"{NOT_PUBLISHED} Its number of sessions is not published either.",
    },
    {
        "code": "resolve",
        "name": "Resolve",
        "kind": ACCREDITED,
        "intensity": "MODERATE",
        "need_area": "VIOLENCE",
        "audience": "Adult men with violent offending",
        "eligibility": "ASSESSED",
        "women": False,
        "source": f"{AP_API_LEGACY}; legacy in some areas",
        "withdrawn_on": BUILDING_CHOICES_FROM,
        "note": f"{NOT_PUBLISHED} Legacy: recorded as rolled down nationally from Building Choices' date.",
    },
    # The other courses HMPPS's service lists with an intensity (mostly delivered in custody).
    *(
        {
            "code": code,
            "name": name,
            "kind": ACCREDITED,
            "intensity": intensity,
            "need_area": area,
            "audience": audience,
            "eligibility": "ASSESSED",
            "source": AP_API_INTENSITY,
            "note": f"{NOT_PUBLISHED} Eligibility is decided by the treatment manager.",
        }
        for code, name, intensity, area, audience in (
            (
                "healthy-sex-programme",
                "Healthy Sex Programme",
                "HIGH",
                "SEXUAL",
                "People convicted of sexual offending with sexual preoccupation or interests related to the offending",
            ),
            (
                "healthy-identity-intervention",
                "Healthy Identity Intervention",
                "HIGH",
                "ATB",
                "People convicted of extremist offending",
            ),
            (
                "covaid",
                "Control of Violence for Angry Impulsive Drinkers",
                "MODERATE",
                "VIOLENCE",
                "Men whose violence is linked to alcohol",
            ),
            (
                "identity-matters",
                "Identity Matters",
                "MODERATE",
                "ATB",
                "People whose offending is linked to gangs or group identity",
            ),
            (
                "new-me-mot",
                "New Me MOT",
                "HIGH_MODERATE",
                "LDC",
                "People with learning disabilities and challenges who have completed a New Me programme",
            ),
            (
                "living-as-new-me",
                "Living as New Me",
                "HIGH_MODERATE",
                "LDC",
                "People with learning disabilities and challenges who have completed a New Me programme",
            ),
        )
    ),
    # Legacy courses: withdrawn.
    *(
        {
            "code": code,
            "name": name,
            "kind": ACCREDITED,
            "intensity": "",
            "need_area": area,
            "audience": "No longer delivered",
            "eligibility": "ASSESSED",
            "source": AP_API_LEGACY,
            "withdrawn_on": UNIFICATION,
            "note": f"{NOT_PUBLISHED} Legacy: no national roll-down date is published; recorded as withdrawn from 26 June 2021.",
        }
        for code, name, area in (
            ("calm", "Controlling Anger and Learning to Manage it (CALM)", "VIOLENCE"),
            ("core-sotp", "Core Sex Offender Treatment Programme", "SEXUAL"),
            ("enhanced-thinking-skills", "Enhanced Thinking Skills", "ATB"),
            ("healthy-relationships-programme", "Healthy Relationships Programme", "DA"),
            ("i-sotp", "Internet Sex Offender Treatment Programme", "SEXUAL"),
            ("self-change-programme", "Self Change Programme", "VIOLENCE"),
            ("sotp", "Sex Offender Treatment Programme", "SEXUAL"),
        )
    ),
    # Structured Interventions: one national entry for each need area (the reference list),
    # and the named ones whose region the sources give.
    *(
        {
            "code": code,
            "name": name,
            "kind": STRUCTURED,
            "intensity": "",
            "need_area": area,
            "audience": "People at low risk of reoffending, or not suitable for an accredited programme",
            "eligibility": "LOWER_RISK",
            "source": SI_BROCHURE,
            "note": "Known: a set format of at least four group or one-to-one sessions. Not published: each region's own sessions.",
        }
        for code, name, area in (
            (
                "si-attitudes-thinking-behaviour",
                "Attitudes, Thinking and Behaviour (structured intervention)",
                "ATB",
            ),
            ("si-domestic-abuse", "Domestic Abuse (structured intervention)", "DA"),
            ("si-emotional-management", "Emotional Management (structured intervention)", "EM"),
        )
    ),
    *(
        {
            "code": code,
            "name": name,
            "kind": STRUCTURED,
            "intensity": "",
            "need_area": area,
            "audience": audience,
            "eligibility": "LOWER_RISK",
            "region": region,
            "source": source,
            "note": "Known: at least four sessions. Not published: the sessions and their minutes.",
        }
        for code, name, area, region, audience, source in (
            (
                "positive-pathways",
                "Positive Pathways",
                "ATB",
                "J",
                "People at low risk of reoffending in London",
                "gov.uk judicial brochure: London structured interventions",
            ),
            (
                "better-solutions",
                "Better Solutions",
                "ATB",
                "C",
                "People at low risk of reoffending in Yorkshire and the Humber",
                "gov.uk judicial brochure: Yorkshire and the Humber structured interventions",
            ),
            (
                "smart-inside-out",
                "Smart Inside Out",
                "SUBSTANCE",
                "D",
                "People in Wales whose offending is linked to substance misuse (screening score below 26: a brief intervention; above 26: a DRR or ATR assessment)",
                "gov.uk judicial brochure: Wales/Cymru structured interventions",
            ),
        )
    ),
]


def load(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    SessionTemplate = apps.get_model("programmes", "SessionTemplate")
    made = {}
    for row in CATALOGUE:
        modules = row.get("modules")
        programme = Programme.objects.create(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            intensity=row["intensity"],
            need_area=row["need_area"],
            audience=row["audience"],
            eligibility=row["eligibility"],
            men=row.get("men", True),
            women=row.get("women", True),
            region_id=row.get("region"),
            status="APPROVED",
            typical_weeks=row.get("typical_weeks"),
            source=row["source"],
            available_from=row.get("available_from"),
            withdrawn_on=row.get("withdrawn_on"),
        )
        made[row["code"]] = (programme, row)
        SessionTemplate.objects.create(
            programme=programme,
            effective_from=row.get("available_from") or UNIFICATION,
            published=modules is not None,
            modules=modules or [],
            note=row.get("note", ""),
        )
    for programme, row in made.values():
        for code in row.get("replaces", []):
            programme.replaces.add(made[code][0])


def unload(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    SessionTemplate = apps.get_model("programmes", "SessionTemplate")
    codes = [row["code"] for row in CATALOGUE]
    SessionTemplate.objects.filter(programme__code__in=codes).delete()
    Programme.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0005_versions_for_teams_and_staff"),
        ("programmes", "0002_catalogue_referrals_groups"),
    ]

    operations = [migrations.RunPython(load, unload)]
