from django.db import models


class AccessListKind(models.TextChoices):
    """nDelius-style limited access ("LAO") lists on a case.

    EXCLUDED: the named user may not see the case, whatever their scope (for
    example a member of staff who knows the person).
    PERMITTED: the case is restricted; only named users may see it, provided
    it is also within their scope.
    """

    EXCLUDED = "EXCLUDED", "Excluded from this case"
    PERMITTED = "PERMITTED", "Permitted to see this restricted case"
