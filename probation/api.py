"""The JSON API at /api/v1, assembled from each app's router."""

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI

from accounts.api import router as accounts_router
from audit.api import router as audit_router
from commissioning.api import router as commissioning_router
from core.api import ActiveSessionAuth, JsonOnlyParser, install_problem_handlers
from organisation.api import router as organisation_router
from people.api import router as people_router
from portal.jobs_api import router as jobs_router
from referrals.api import router as referrals_router
from referrals.contract_management_api import router as contract_management_router
from risk.api import router as risk_router
from sentences.api import router as sentences_router
from supervision.api import router as supervision_router
from unpaid_work.api import router as unpaid_work_router

api = NinjaAPI(
    title="Probation Service platform API",
    version="1",
    description=(
        "Operations for the unified Probation Service. Every operation needs a signed-in "
        "user and answers only within that user's role and geography; records outside it "
        "answer 404, as if they did not exist. Errors are RFC 9457 problem documents."
    ),
    auth=ActiveSessionAuth(),
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=login_required,
    parser=JsonOnlyParser(),
)
install_problem_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/organisation", organisation_router)
api.add_router("/people", people_router)
api.add_router("/audit", audit_router)
api.add_router("/", risk_router)
api.add_router("/", sentences_router)
api.add_router("/", supervision_router)
api.add_router("/unpaid-work", unpaid_work_router)
api.add_router("/commissioning", commissioning_router)
api.add_router("/commissioning", contract_management_router)
api.add_router("/referrals", referrals_router)
api.add_router("/jobs", jobs_router)
