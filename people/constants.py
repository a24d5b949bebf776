from django.db import models

from people import rules


class AccessListKind(models.TextChoices):
    """nDelius-style limited access ("LAO") lists on a case.

    EXCLUDED: the named user may not see the case, whatever their scope (for
    example a member of staff who knows the person).
    PERMITTED: the case is restricted; only named users may see it, provided
    it is also within their scope.
    """

    EXCLUDED = "EXCLUDED", "Excluded from this case"
    PERMITTED = "PERMITTED", "Permitted to see this restricted case"


class Sex(models.TextChoices):
    """Sex as recorded for sentence management and tiering (the tier rules differ for women)."""

    MALE = rules.Sex.MALE.value, "Male"
    FEMALE = rules.Sex.FEMALE.value, "Female"


class GenderIdentity(models.TextChoices):
    """ONS 2021: is the gender the person identifies with the same as their sex registered at birth?"""

    SAME = "SAME", "Same as sex registered at birth"
    DIFFERENT = "DIFFERENT", "Different from sex registered at birth"
    PREFER_NOT_TO_SAY = "PREFER_NOT_TO_SAY", "Prefer not to say"
    NOT_RECORDED = "NOT_RECORDED", "Not recorded"


class Ethnicity(models.TextChoices):
    """ONS 2021 census ethnic groups for England and Wales (19 groups)."""

    ASIAN_BANGLADESHI = "A_BANGLADESHI", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "A_CHINESE", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "A_INDIAN", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "A_PAKISTANI", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "A_OTHER", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "B_AFRICAN", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "B_CARIBBEAN", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "B_OTHER", "Black, Black British, Caribbean or African: any other Black background"
    MIXED_WHITE_ASIAN = "M_WHITE_ASIAN", "Mixed or multiple ethnic groups: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "M_WHITE_BLACK_AFRICAN",
        "Mixed or multiple ethnic groups: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "M_WHITE_BLACK_CARIBBEAN",
        "Mixed or multiple ethnic groups: White and Black Caribbean",
    )
    MIXED_OTHER = "M_OTHER", "Mixed or multiple ethnic groups: any other mixed background"
    WHITE_BRITISH = "W_BRITISH", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "W_IRISH", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "W_GYPSY_TRAVELLER", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "W_ROMA", "White: Roma"
    WHITE_OTHER = "W_OTHER", "White: any other White background"
    OTHER_ARAB = "O_ARAB", "Other ethnic group: Arab"
    OTHER_ANY = "O_OTHER", "Other ethnic group: any other ethnic group"
    PREFER_NOT_TO_SAY = "PREFER_NOT_TO_SAY", "Prefer not to say"
    NOT_RECORDED = "NOT_RECORDED", "Not recorded"


class Religion(models.TextChoices):
    """ONS 2021 census religion categories."""

    NONE = "NONE", "No religion"
    CHRISTIAN = "CHRISTIAN", "Christian"
    BUDDHIST = "BUDDHIST", "Buddhist"
    HINDU = "HINDU", "Hindu"
    JEWISH = "JEWISH", "Jewish"
    MUSLIM = "MUSLIM", "Muslim"
    SIKH = "SIKH", "Sikh"
    OTHER = "OTHER", "Any other religion"
    PREFER_NOT_TO_SAY = "PREFER_NOT_TO_SAY", "Prefer not to say"
    NOT_RECORDED = "NOT_RECORDED", "Not recorded"


class SexualOrientation(models.TextChoices):
    """ONS 2021 census sexual orientation categories; optional, for diversity analysis only."""

    STRAIGHT = "STRAIGHT", "Straight or heterosexual"
    GAY_OR_LESBIAN = "GAY_OR_LESBIAN", "Gay or lesbian"
    BISEXUAL = "BISEXUAL", "Bisexual"
    OTHER = "OTHER", "Other sexual orientation"
    PREFER_NOT_TO_SAY = "PREFER_NOT_TO_SAY", "Prefer not to say"
    NOT_RECORDED = "NOT_RECORDED", "Not recorded"


class Disability(models.TextChoices):
    YES = "YES", "Yes"
    NO = "NO", "No"
    PREFER_NOT_TO_SAY = "PREFER_NOT_TO_SAY", "Prefer not to say"
    NOT_RECORDED = "NOT_RECORDED", "Not recorded"
