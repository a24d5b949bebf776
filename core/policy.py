"""Effective-dated policy values: the rules that change over time, in one place.

Each value has a name, a plain-English description, its source and a history of
(effective from, value). ``value_on(name, day)`` answers what applied on a day,
so a rule that changed (for example the curfew maximum, or the suspended
sentence operational period) is applied as it stood when it mattered. Law that
has not changed lives next to the rule that uses it, as a named constant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class PolicyValue:
    name: str
    description: str
    source: str
    history: tuple[tuple[date, Any], ...]  # (effective from, value), oldest first

    def on(self, day: date) -> Any:
        applicable = [value for start, value in self.history if start <= day]
        if not applicable:
            raise LookupError(f"No value of {self.name} applies on {day}")
        return applicable[-1]


_BEGINNING = date(1900, 1, 1)

POLICIES: dict[str, PolicyValue] = {
    p.name: p
    for p in (
        PolicyValue(
            "curfew_max_daily_hours",
            "Most hours a day a curfew requirement may run, by conviction date.",
            "Sentencing Act 2020 Sch 9 para 9; PCSC Act 2022 s.150 raised 16 to 20 hours (commenced 28 June 2022)",
            ((_BEGINNING, 16), (date(2022, 6, 28), 20)),
        ),
        PolicyValue(
            "curfew_max_period_months",
            "Longest period over which curfew requirements may run, by conviction date.",
            "Sentencing Act 2020 Sch 9 para 9; PCSC Act 2022 s.150 raised 12 months to 2 years (commenced 28 June 2022)",
            ((_BEGINNING, 12), (date(2022, 6, 28), 24)),
        ),
        PolicyValue(
            "sso_max_operational_period_months",
            "Longest operational period of a suspended sentence order, by sentence date.",
            "Sentencing Act 2020 s.288; Sentencing Act 2026 raised the maximum from 2 to 3 years (in force 22 March 2026)",
            ((_BEGINNING, 24), (date(2026, 3, 22), 36)),
        ),
        PolicyValue(
            "breach_presentation_business_days",
            "Business days from becoming aware of a breach to presenting it to court.",
            "NPS service level SL014 (10 business days)",
            ((_BEGINNING, 10),),
        ),
        PolicyValue(
            "upw_ete_allowance_percent",
            "Share of an order's unpaid work hours that may be spent on education, training and employment.",
            "2020 Target Operating Model: 20%; Unpaid Work MI release guidance (16 May 2024): up to 30%",
            ((_BEGINNING, 20), (date(2024, 5, 16), 30)),
        ),
        PolicyValue(
            "upw_assessment_business_days",
            "Business days from sentence to the Unpaid Work assessment.",
            "HMPPS Target Operating Model for probation services, June 2020 update",
            ((_BEGINNING, 10),),
        ),
        PolicyValue(
            "upw_first_session_business_days",
            "Business days from sentence to the first work session (down from 20).",
            "HMPPS Target Operating Model for probation services, June 2020 update",
            ((_BEGINNING, 15),),
        ),
        PolicyValue(
            "upw_max_travel_minutes",
            "Longest journey each way to a placement.",
            "HMPPS Target Operating Model for probation services, June 2020 update",
            ((_BEGINNING, 90),),
        ),
        PolicyValue(
            "upw_max_credited_travel_minutes",
            "Most travel time each way that is supervised and credited.",
            "HMPPS Target Operating Model for probation services, June 2020 update",
            ((_BEGINNING, 60),),
        ),
        PolicyValue(
            "upw_max_adjustment_minutes",
            "Most minutes one adjustment (for example travel time) may credit.",
            "Community Payback adjustment reason TTX (max_minutes_allowed 180)",
            ((_BEGINNING, 180),),
        ),
        PolicyValue(
            "upw_travel_detour_factor",
            "How much longer a real route is than the straight line, for the default travel model.",
            "Project assumption (typical UK road circuity is about 1.2-1.4); replace with a routing engine in production",
            ((_BEGINNING, 1.3),),
        ),
        PolicyValue(
            "upw_travel_speeds_kmh",
            "Door-to-door speeds by mode for the default travel model (public transport includes waiting).",
            "Project assumption; tune per region or replace with a routing engine or travel-time matrix",
            ((_BEGINNING, {"WALK": 4.8, "CYCLE": 15.0, "PUBLIC_TRANSPORT": 16.0, "CAR": 30.0}),),
        ),
        PolicyValue(
            "upw_travel_overhead_minutes",
            "Fixed minutes added per journey by mode (walking to a stop, parking).",
            "Project assumption",
            ((_BEGINNING, {"WALK": 0, "CYCLE": 2, "PUBLIC_TRANSPORT": 10, "CAR": 5}),),
        ),
        PolicyValue(
            "upw_travel_check_margin_percent",
            "Journeys within this share of the limit are flagged for a person to check.",
            "Project assumption: estimates are approximate near the limit",
            ((_BEGINNING, 15),),
        ),
        PolicyValue(
            "df_framework_start",
            "The Probation Services Dynamic Framework's start: the date its initial term runs from.",
            "Contract notice 15 June 2020 (TED 2020/S 114-277986); framework launched June 2021",
            ((_BEGINNING, date(2021, 6, 1)),),
        ),
        PolicyValue(
            "df_initial_term_years",
            "The framework's initial term.",
            "Dynamic Framework contract notice, 15 June 2020: 7 years",
            ((_BEGINNING, 7),),
        ),
        PolicyValue(
            "df_max_extensions",
            "How many 12-month extensions the framework allows.",
            "Dynamic Framework contract notice, 15 June 2020: extendable up to three times by 12 months",
            ((_BEGINNING, 3),),
        ),
        PolicyValue(
            "df_extension_months",
            "The length of each framework extension.",
            "Dynamic Framework contract notice, 15 June 2020: 12 months",
            ((_BEGINNING, 12),),
        ),
        PolicyValue(
            "df_review_months",
            "Regional Probation Directors review each nationally commissioned service within this time of its start.",
            "HMPPS Target Operating Model (June 2020 update); HMI Probation unification review (May 2021): within two years",
            ((_BEGINNING, 24),),
        ),
        PolicyValue(
            "df_standstill_days",
            "Calendar days between the award decision and making the contract, for challenges.",
            "Public Contracts Regulations 2015 reg 87 (10 days when notice is sent electronically)",
            ((_BEGINNING, 10),),
        ),
        PolicyValue(
            "sign_in_failure_limits",
            "Failed sign-ins before attempts are refused for a while: for one username from one address, "
            "for one address across usernames, and for one username across addresses (much higher, so "
            "failures from one place never lock the real user out everywhere).",
            "NIST SP 800-63B s.5.2.2 (rate-limit, at most 100 consecutive failures per account); NCSC password "
            "guidance (throttle rather than lock out); 5 and 30 carried over from ADR 4",
            ((_BEGINNING, {"PAIR": 5, "ADDRESS": 30, "USERNAME": 50}),),
        ),
        PolicyValue(
            "sign_in_refusal_delay_seconds",
            "The first refusal period at a limit, doubled with each further failure up to the maximum.",
            "Project policy (ADR 12): exponential back-off as in NIST SP 800-63B s.5.2.2",
            ((_BEGINNING, {"base": 60, "max": 3600}),),
        ),
        PolicyValue(
            "sign_in_failure_memory_minutes",
            "How long after its last failure (or the end of its refusal) a counter is forgotten.",
            "Project policy (ADR 12): the 15-minute window of ADR 4; a day for the per-username counter, "
            "so slow guessing spread over many addresses still adds up",
            ((_BEGINNING, {"PAIR": 15, "ADDRESS": 15, "USERNAME": 1440}),),
        ),
        PolicyValue(
            "sq_min_insurance",
            "Least cover (pounds) a supplier must hold to pass the Selection Questionnaire's insurance section.",
            "Employers' liability: Employers' Liability (Compulsory Insurance) Regulations 1998 reg 3 (5 million). "
            "Public liability and professional indemnity: project assumption, typical of MoJ service contracts",
            (
                (
                    _BEGINNING,
                    {
                        "employers_liability": 5_000_000,
                        "public_liability": 5_000_000,
                        "professional_indemnity": 1_000_000,
                    },
                ),
            ),
        ),
        PolicyValue(
            "df_application_max_documents",
            "Most supporting documents one Selection Questionnaire application may carry.",
            "Project assumption (ADR 0015): accounts, insurance certificates and a few policies",
            ((_BEGINNING, 10),),
        ),
        PolicyValue(
            "df_application_max_document_bytes",
            "Largest single supporting document on a Selection Questionnaire application.",
            "Project assumption (ADR 0015): 5 MB, as the form has always said",
            ((_BEGINNING, 5 * 1024 * 1024),),
        ),
        PolicyValue(
            "df_application_max_total_bytes",
            "Most bytes of supporting documents one application may store altogether.",
            "Project assumption (ADR 0015): the public form is anonymous, so one request stays small",
            ((_BEGINNING, 10 * 1024 * 1024),),
        ),
        PolicyValue(
            "referral_assessment_working_days",
            "Working days from a referral to the provider's initial assessment.",
            "Refer and monitor (hmpps-interventions-ui): within 10 working days",
            ((_BEGINNING, 10),),
        ),
        PolicyValue(
            "referral_action_plan_working_days",
            "Working days from the initial assessment to the first action plan.",
            "Refer and monitor (hmpps-interventions-ui): within 5 working days",
            ((_BEGINNING, 5),),
        ),
        PolicyValue(
            "referral_report_working_days",
            "Working days from the last session to the end-of-service report.",
            "Refer and monitor (hmpps-interventions-ui): within 5 working days",
            ((_BEGINNING, 5),),
        ),
        PolicyValue(
            "pni_ogrs3_percent",
            "Programme Needs Identifier risk: the OGRS3 percentage from which risk is medium, and high.",
            "HMPPS Accredited Programmes API's PNI (medium 50-74, high above 75); the platform closes "
            "the gaps between bands: medium from 50 up to 75, high from 75 (docs/domain/programmes.md)",
            ((_BEGINNING, {"medium_from": 50.0, "high_from": 75.0}),),
        ),
        PolicyValue(
            "pni_ovp_percent",
            "Programme Needs Identifier risk: the OVP percentage from which risk is medium, and high.",
            "HMPPS Accredited Programmes API's PNI (medium 30-59, high above 60); the platform closes "
            "the gaps between bands: medium from 30 up to 60, high from 60 (docs/domain/programmes.md)",
            ((_BEGINNING, {"medium_from": 30.0, "high_from": 60.0}),),
        ),
        PolicyValue(
            "pni_rsr_percent",
            "Programme Needs Identifier risk: the RSR percentage from which risk is medium, and high.",
            "HMPPS Accredited Programmes API's PNI (medium 1.00-2.99, high 3.00 or more)",
            ((_BEGINNING, {"medium_from": 1.0, "high_from": 3.0}),),
        ),
        PolicyValue(
            "pni_need_score",
            "Programme Needs Identifier need: the need score (0-8) from which need is medium, and high.",
            "HMPPS Accredited Programmes API's PNI (0-2 low, 3-5 medium, 6-8 high)",
            ((_BEGINNING, {"medium_from": 3, "high_from": 6}),),
        ),
        PolicyValue(
            "ldc_score_max",
            "Highest learning disabilities and challenges (LDC) score a risk assessment may record (from 0).",
            "Project assumption: HMPPS Accredited Programmes carries the LDC score as a whole number "
            "(OASys learning needs) without a published range the platform could find; 0-6 until "
            "confirmed (docs/domain/risk.md)",
            ((_BEGINNING, 6),),
        ),
        PolicyValue(
            "programme_commencement_weeks",
            "Weeks from sentence (or release, for a licence) within which a programme should start.",
            "HMPPS Accredited programme commencements ad hoc statistics (April 2021 to March 2025) "
            "measure starts within 12 weeks of sentence; the platform reports against the same figure",
            ((_BEGINNING, 12),),
        ),
        PolicyValue(
            "warning_period_months",
            "How long a warning counts: a further unacceptable failure within it must go to breach.",
            "Sentencing Act 2020 Sch 10 para 6 (previous 12 months)",
            ((_BEGINNING, 12),),
        ),
    )
}


def value_on(name: str, day: date) -> Any:
    return POLICIES[name].on(day)
