"""The programmes context's models, by aggregate: the person's PNI (``needs``), the
catalogue with its templates, suite, rooms and panel (``catalogue``), the referral
(``referrals``), and groups with their sessions (``groups``)."""

from programmes.models.catalogue import (
    DeliveryOffer,
    PanelDecision,
    Programme,
    Room,
    SessionTemplate,
    SuiteReview,
)
from programmes.models.groups import (
    GroupFacilitator,
    GroupMember,
    GroupSlot,
    ProgrammeGroup,
    ProgrammeSession,
    SessionAttendance,
    SessionNote,
)
from programmes.models.needs import ProgrammeNeeds
from programmes.models.referrals import (
    Availability,
    LdcScore,
    NonAssociation,
    PartnerContact,
    ProgrammeReferral,
    ReferralStatusChange,
)

__all__ = [
    "Availability",
    "DeliveryOffer",
    "GroupFacilitator",
    "GroupMember",
    "GroupSlot",
    "LdcScore",
    "NonAssociation",
    "PanelDecision",
    "PartnerContact",
    "Programme",
    "ProgrammeGroup",
    "ProgrammeNeeds",
    "ProgrammeReferral",
    "ProgrammeSession",
    "ReferralStatusChange",
    "Room",
    "SessionAttendance",
    "SessionNote",
    "SessionTemplate",
    "SuiteReview",
]
