"""People, the organisation registry shared across partnerships, and personal API tokens."""

import re
import unicodedata
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.core.codelists import label, organisation_types
from commonground.core.row_reader import RowReader


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get(self, *args: Any, **kwargs: Any) -> "User":
        """`get` as ever; `get(pk=<int>)` through one fixed statement. That is how Django's
        ModelBackend reads the signed-in person on every page request: the compiled queryset
        cost 0.4 ms of CPU, the statement 0.1 ms (benchmarks/README.md, "Per-request cost")."""
        pk = kwargs.get("pk")
        if args or self._db is not None or kwargs.keys() != {"pk"} or type(pk) is not int:
            return super().get(*args, **kwargs)
        found = _USER_BY_PK.read([pk])
        if found is None:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        user = found[0]
        assert isinstance(user, User)
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        # Addresses are stored lower-case; people type them however they like.
        return self.get(email=(username or "").strip().lower())

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person; signs in with e-mail and password. Access to partnerships comes from seats."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    # The interface language the person chose ("" = the browser's); also the language of the
    # e-mails sent to them.
    language = models.CharField(max_length=8, blank=True, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("Can sign in to the site admin."))
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


_LEGAL_SUFFIXES = re.compile(
    r"\b(inc|incorporated|ltd|limited|llc|gmbh|ag|bv|nv|sa|plc|co|corp|corporation|the|e\s?v)\b"
)


_USER_BY_PK = RowReader(
    [(User, "u")], lambda n: f"FROM {n.table(User)} u WHERE u.{n.column(User, 'id')} = %s"
)


def normalise_name(name: str) -> str:
    """A form of an organisation name for finding near-duplicates: case, accents,
    punctuation and legal suffixes ignored."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = _LEGAL_SUFFIXES.sub(" ", text)
    return " ".join(text.split())


class Organisation(models.Model):
    """An organisation in the registry shared by every partnership."""

    name = models.CharField(max_length=200)
    normalised_name = models.CharField(max_length=200, db_index=True, editable=False)
    org_type = models.CharField(
        _("sector (IATI organisation type)"), max_length=3, choices=organisation_types
    )
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code."))
    website = models.URLField(blank=True)
    identifier = models.CharField(
        _("organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_("IATI organisation identifier, for example GB-COH-01234567."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"],
                condition=~models.Q(identifier=""),
                name="organisation_identifier_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def org_type_label(self) -> str:
        return label(organisation_types(), self.org_type)


class ApiToken(models.Model):
    """A personal token for scripts. Only a SHA-256 of the secret is kept; it is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
