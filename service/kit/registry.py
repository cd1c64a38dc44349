"""Every domain's tables on one ``MetaData``: what migrations compare the schema against."""

from __future__ import annotations

from service.agreements import models as agreements
from service.audit import models as audit
from service.batches import models as batches
from service.campaigns import models as campaigns
from service.caselog import models as caselog
from service.cases import models as cases
from service.creditors import models as creditors
from service.decisions import models as decisions
from service.deliveries import models as deliveries
from service.documents import models as documents
from service.kit.db import Base
from service.outbox import models as outbox
from service.postal import models as postal
from service.retention import models as retention
from service.rules import models as rules
from service.sms import models as sms
from service.templates import models as templates
from service.web import models as web
from service.webhooks import models as webhooks

MODULES = (
    agreements,
    audit,
    batches,
    campaigns,
    caselog,
    cases,
    creditors,
    decisions,
    deliveries,
    documents,
    outbox,
    postal,
    retention,
    rules,
    sms,
    templates,
    webhooks,
    web,
)
metadata = Base.metadata
