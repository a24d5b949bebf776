from django import forms

from accounts.models import ROLE_CHOICES, SCOPE_CHOICES
from core.forms import VersionedForm
from core.limits import SHORT_TEXT_MAX
from core.roles import NO_ROLE_MESSAGE, Role, default_scope_for_roles, in_table_order, role_set_problem
from organisation import selectors as organisation_selectors
from organisation.models import Staff


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Enter your username"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        max_length=SHORT_TEXT_MAX,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class UserAccessForm(VersionedForm):
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Select all the jobs this user does. Probation Service staff roles and "
            "external organisation roles cannot be combined"
        ),
        error_messages={"required": NO_ROLE_MESSAGE},
    )
    scope_level = forms.ChoiceField(
        label="Case access",
        choices=[("", "The usual access for the roles chosen"), *SCOPE_CHOICES],
        required=False,
        help_text="How much of the country this user's access to case records covers",
    )
    is_active = forms.BooleanField(label="This user can sign in", required=False)

    def clean_roles(self) -> list[Role]:
        roles = in_table_order(self.cleaned_data["roles"])
        problem = role_set_problem(roles)
        if problem:
            raise forms.ValidationError(problem)
        return roles

    def scope_for(self) -> str:
        """The scope chosen, or the widest usual scope of the roles chosen."""
        return self.cleaned_data["scope_level"] or default_scope_for_roles(self.cleaned_data["roles"]).value


class NewUserForm(UserAccessForm):
    version = None  # type: ignore[assignment]  # a new account has no version yet
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Enter a username"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter the first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter the last name"}
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    staff_code = forms.CharField(
        label="Staff code",
        max_length=12,
        required=False,
        help_text="For Probation Service staff: the staff record this account belongs to",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        required=False,
        queryset=organisation_selectors.external_organisations(),
        empty_label="Not an external organisation",
        help_text="For providers, PCCs, local authorities and police",
    )
    password = forms.CharField(
        label="Temporary password",
        max_length=SHORT_TEXT_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password",
        error_messages={"required": "Enter a temporary password"},
    )

    field_order = [
        "username",
        "first_name",
        "last_name",
        "email",
        "roles",
        "scope_level",
        "staff_code",
        "organisation",
        "password",
    ]

    def clean_staff_code(self) -> Staff | None:
        code = self.cleaned_data["staff_code"].strip().upper()
        if not code:
            return None
        staff = organisation_selectors.staff_with_code(code)
        if staff is None:
            raise forms.ValidationError("No staff record has that staff code")
        if hasattr(staff, "user"):
            raise forms.ValidationError("That staff record already has a user account")
        return staff
