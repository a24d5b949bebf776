from django.db import models


class AuditAction(models.TextChoices):
    """What happened. Views of personal records are audited as well as changes."""

    VIEW = "VIEW", "Viewed a record"
    CREATE = "CREATE", "Created a record"
    UPDATE = "UPDATE", "Changed a record"
    RETIRE = "RETIRE", "Retired a record (soft delete)"
    REINSTATE = "REINSTATE", "Brought a retired record back into use"
    SIGN_IN = "SIGN_IN", "Signed in"
    SIGN_IN_FAILED = "SIGN_IN_FAILED", "Failed to sign in"
    SIGN_IN_LOCKED = "SIGN_IN_LOCKED", "Sign-in refused: account or address locked out"
    SIGN_OUT = "SIGN_OUT", "Signed out"
    SEARCH = "SEARCH", "Searched records"
