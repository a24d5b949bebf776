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
from programmes.api import router as programmes_router
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
        "answer 404, as if they did not exist. Errors are RFC 9457 problem documents.\n\n"
        "**Retrying writes safely.** Any POST accepts an `Idempotency-Key` header (a unique "
        "string of 1 to 255 visible ASCII characters, e.g. a UUID), after the IETF HTTP APIs "
        "draft of that name. Keys belong to the signed-in user and are kept for 24 hours. A "
        "retry with the same key and the same body gets the first response again (same "
        "status and body) with `Idempotent-Replayed: true`, and creates nothing; the same key "
        "with another body or path is refused with 422; a retry while the first request is "
        "still running gets 409. Server errors (5xx) are not remembered: retry them with the "
        "same key.\n\n"
        "**Outages and read-only mode.** When the database is unavailable every operation "
        "answers 503 with `Retry-After` (`reason`: `database_unavailable`). When the service "
        "is read-only, reads work and every POST, PUT, PATCH or DELETE answers 503 with "
        "`Retry-After` (`reason`: `read_only`); nothing is saved."
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
api.add_router("/", programmes_router)
api.add_router("/referrals", referrals_router)
api.add_router("/jobs", jobs_router)
