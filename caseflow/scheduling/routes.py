from flask_login import current_user
from flask_smorest import Blueprint

from caseflow.access.policy import notification_or_404, require
from caseflow.core.clock import utcnow
from caseflow.core.pagination import page_schema, paginate
from caseflow.extensions import db
from caseflow.scheduling import outbox
from caseflow.scheduling.schemas import MarkedSchema, MarkReadSchema, NotificationQuery, NotificationSchema

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications",
                description="Reminders and escalations for the caller")

NotificationPage = page_schema(NotificationSchema, "NotificationPage")


@blp.get("")
@blp.arguments(NotificationQuery, location="query")
@blp.response(200, NotificationPage)
def list_notifications(args):
    require("notification.read")
    return paginate(outbox.for_user(current_user, args.get("unread")), args)


@blp.get("/<uuid:message_id>")
@blp.response(200, NotificationSchema)
def get_notification(message_id):
    return notification_or_404(message_id)


@blp.post("/<uuid:message_id>/read")
@blp.response(200, NotificationSchema)
def mark_one_read(message_id):
    message = notification_or_404(message_id)
    outbox.mark_read(current_user, [message.id], utcnow())
    db.session.refresh(message)
    return message


@blp.post("/read")
@blp.arguments(MarkReadSchema, required=False)
@blp.response(200, MarkedSchema)
def mark_read(data):
    """Mark the given messages (or every unread one) read."""
    require("notification.read")
    return {"marked": outbox.mark_read(current_user, data.get("ids"), utcnow())}
