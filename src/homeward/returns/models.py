"""Return operations: verification before clearance, groups and their routes, hand-overs with the
custody they transfer, and follow-up after reunification.

Models hold identifiers and the data the operation needs; ``str()`` never shows personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Party
from homeward.ids import OpaqueIdField
from homeward.registry.models import Case


class Item(models.TextChoices):
    """The verification checklist, in the order it is shown."""

    IDENTITY = "identity", _("Child's identity confirmed")
    RELATIONSHIP = "relationship", _("Receiving adult's relationship or guardianship confirmed")
    CHILD_VIEWS = "child_views", _("Child's views heard in a way fit for the age")
    BEST_INTERESTS = "best_interests", _("Best-interests assessment")
    MEDICAL = "medical", _("Medical needs assessed")


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport or identity card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    COURT_DECISION = "court_decision", _("Court decision")
    GUARDIANSHIP_ORDER = "guardianship_order", _("Guardianship order")
    INTERVIEW_RECORD = "interview_record", _("Record of the child's interview")
    ASSESSMENT = "assessment", _("Best-interests assessment report")
    MEDICAL_REPORT = "medical_report", _("Medical report")
    OTHER = "other", _("Other document")


class Verification(models.Model):
    """One checklist item of one case: confirmed by whom and when, with its evidence documents."""

    id = OpaqueIdField()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="verifications")
    item = models.CharField(_("item"), max_length=32, choices=Item.choices)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "item"], name="returns_one_item_per_case")]

    def __str__(self) -> str:
        return f"Verification #{self.pk}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class EvidenceDocument(models.Model):
    """A document supporting a checklist item; its file, if any, is stored encrypted under HOMEWARD_HOME."""

    id = OpaqueIdField()
    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    stored_name = models.CharField(max_length=80, blank=True)  # random name under HOME/evidence/
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)  # of the plaintext
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"EvidenceDocument #{self.pk}"

    @property
    def has_file(self) -> bool:
        return bool(self.stored_name)


class VerificationException(models.Model):
    """A mediator's justified exception to the checklist; the case stays flagged for as long as it exists."""

    id = OpaqueIdField()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="verification_exceptions")
    items = models.JSONField(default=list)  # the checklist items it waives
    justification = models.TextField(_("justification"), max_length=4000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"VerificationException #{self.pk}"


class OperationStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    CONFIRMED = "confirmed", _("Confirmed")
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (OperationStatus.PLANNING, OperationStatus.CONFIRMED, OperationStatus.UNDER_WAY)


class ReturnOperation(models.Model):
    """A group travelling home together, from one party's side to the other's."""

    id = OpaqueIdField()
    name = models.CharField(_("name"), max_length=200)
    from_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("from (handing party)"))
    to_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("to (receiving party)"))
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("responsible mediator"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"), default=12)
    status = models.CharField(max_length=16, choices=OperationStatus.choices, default=OperationStatus.PLANNING)
    status_reason = models.TextField(max_length=2000, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-planned_start", "-id"]

    def __str__(self) -> str:
        return f"ReturnOperation #{self.pk}"

    @property
    def direction(self) -> str:
        return f"{self.from_party.code} → {self.to_party.code}"


class MemberKind(models.TextChoices):
    CHILD = "child", _("Child")
    ADULT = "adult", _("Accompanying adult")
    ESCORT = "escort", _("Escort")


class Member(models.Model):
    """A person in an operation: a cleared child (by case), an accompanying adult or an escort."""

    id = OpaqueIdField()
    operation = models.ForeignKey(ReturnOperation, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("kind"), max_length=8, choices=MemberKind.choices)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="return_members")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+",
                              help_text=_("The party whose record this member is (children: the child's party)."))
    full_name = models.CharField(_("full name"), max_length=300, blank=True)  # adults and escorts only
    role = models.CharField(_("role"), max_length=200, blank=True)  # e.g. mother, doctor, embassy staff
    medical_support = models.CharField(_("medical support needed"), max_length=500, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["operation", "case"], name="returns_case_once_per_operation")]

    def __str__(self) -> str:
        return f"Member #{self.pk}"


class TransportMode(models.TextChoices):
    CHARTER = "charter_flight", _("Charter flight")
    FLIGHT = "scheduled_flight", _("Scheduled flight")
    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")


class LegStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Arrived")


class Leg(models.Model):
    """One stretch of the route, numbered from 1."""

    id = OpaqueIdField()
    operation = models.ForeignKey(ReturnOperation, on_delete=models.CASCADE, related_name="legs")
    sequence = models.PositiveSmallIntegerField(_("leg"))
    from_place = models.CharField(_("from"), max_length=200)
    from_country = models.CharField(_("from country"), max_length=100)
    to_place = models.CharField(_("to"), max_length=200)
    to_country = models.CharField(_("to country"), max_length=100)
    mode = models.CharField(_("mode"), max_length=20, choices=TransportMode.choices)
    carrier = models.CharField(_("carrier"), max_length=200, blank=True)
    planned_departure = models.DateTimeField(_("planned departure"), null=True, blank=True)
    planned_arrival = models.DateTimeField(_("planned arrival"), null=True, blank=True)
    actual_departure = models.DateTimeField(null=True, blank=True)
    actual_arrival = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=LegStatus.choices, default=LegStatus.PLANNED)

    class Meta:
        ordering = ["operation", "sequence"]
        constraints = [models.UniqueConstraint(fields=["operation", "sequence"], name="returns_leg_sequence")]

    def __str__(self) -> str:
        return f"Leg #{self.pk}"


class HostingPeriod(models.Model):
    """Where the group stays between legs, e.g. at the mediator's embassy."""

    id = OpaqueIdField()
    operation = models.ForeignKey(ReturnOperation, on_delete=models.CASCADE, related_name="hosting")
    place = models.CharField(_("place"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=100)
    host = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("host"))
    starts = models.DateTimeField(_("from"))
    ends = models.DateTimeField(_("to"))
    before_leg = models.PositiveSmallIntegerField(_("before leg"), default=1)

    class Meta:
        ordering = ["operation", "starts", "id"]

    def __str__(self) -> str:
        return f"HostingPeriod #{self.pk}"


class Handover(models.Model):
    """A point where custody of named children passes from one party to another, on both signatures.

    ``before_leg`` places it on the route: it must be signed before that leg may start (a value one
    past the last leg means at the end of the route). ``final`` marks the hand-over to the family or
    receiving authority: it reunites the children.
    """

    id = OpaqueIdField()
    operation = models.ForeignKey(ReturnOperation, on_delete=models.CASCADE, related_name="handovers")
    before_leg = models.PositiveSmallIntegerField(_("before leg"))
    place = models.CharField(_("place"), max_length=200)
    country = models.CharField(_("country"), max_length=100)
    from_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("handing party"))
    to_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("receiving party"))
    final = models.BooleanField(_("final hand-over (reunites)"), default=False)
    planned_at = models.DateTimeField(_("planned at"), null=True, blank=True)
    cases = models.ManyToManyField(Case, related_name="handovers", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # When it was planned: of two hand-overs before the same leg, the earlier made is signed first (the id,
    # random, says nothing of which came first).
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["operation", "before_leg", "created_at", "id"]

    def __str__(self) -> str:
        return f"Handover #{self.pk}"

    @property
    def complete(self) -> bool:
        return self.completed_at is not None


class Side(models.TextChoices):
    HANDING = "handing", _("Handing over")
    RECEIVING = "receiving", _("Receiving")


class Signature(models.Model):
    """One party's sign-off on the exact children of a hand-over; each is a ledger entry."""

    id = OpaqueIdField()
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="signatures")
    side = models.CharField(max_length=10, choices=Side.choices)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    case_ids = models.JSONField(default=list)
    digest = models.CharField(max_length=64)
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["handover", "side"], name="returns_one_signature_per_side")]

    def __str__(self) -> str:
        return f"Signature #{self.pk}"


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")


class Outcome(models.TextChoices):
    WELL = "well", _("Settled well")
    CONCERNS = "concerns", _("Some concerns")
    SERIOUS = "serious", _("Serious concerns")
    NOT_REACHED = "not_reached", _("Family not reached")


class FollowUp(models.Model):
    """A visit after reunification (at 1, 3 and 6 months by default)."""

    id = OpaqueIdField()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after reunification"))
    due = models.DateField(_("due"))
    status = models.CharField(max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.SCHEDULED)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    further_support = models.BooleanField(_("needs further support"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1)  # optimistic locking: each recording bumps it

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"FollowUp #{self.pk}"


class ClosureReason(models.Model):
    """Why a reunited case may close before its follow-ups are done."""

    id = OpaqueIdField()
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="closure_reason")
    reason = models.TextField(_("reason"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"ClosureReason #{self.pk}"
