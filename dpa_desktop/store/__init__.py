"""The local, encrypted store: practice profile, drafts and the register.

No Qt here: the CLI and the GUI share it, and the GUI calls it only from its
worker thread.
"""

from __future__ import annotations

from dpa_desktop.statuses import CONCEPT, ENDED, SENT, SIGNED, STATUS_LABELS, STATUSES
from dpa_desktop.store.drafts import Draft
from dpa_desktop.store.errors import (
    BackupDamaged,
    KeyringUnavailable,
    NotFound,
    RecordDamaged,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreExists,
    StoreIOError,
    StoreLocked,
    StoreMissing,
    StoreTooNew,
    UnsafeLocation,
    WrongRecoveryCode,
)
from dpa_desktop.store.external import (
    BreachNotice,
    ExternalDetails,
    ExternalEntry,
    RegisterFields,
    SubprocessorEntry,
)
from dpa_desktop.store.keys import (
    FileKeyring,
    KeyBackend,
    SystemKeyring,
    backend_description,
    default_backend,
)
from dpa_desktop.store.profile import KINDS, PROFILE_FIELDS
from dpa_desktop.store.register import (
    Agreement,
    AgreementSummary,
    DamagedRecord,
    Signatory,
    StatusChange,
    SubprocessorAgreement,
    SubprocessorUse,
)
from dpa_desktop.store.store import Store

__all__ = [
    "CONCEPT",
    "ENDED",
    "KINDS",
    "PROFILE_FIELDS",
    "SENT",
    "SIGNED",
    "STATUSES",
    "STATUS_LABELS",
    "Agreement",
    "AgreementSummary",
    "BackupDamaged",
    "BreachNotice",
    "DamagedRecord",
    "Draft",
    "ExternalDetails",
    "ExternalEntry",
    "FileKeyring",
    "KeyBackend",
    "KeyringUnavailable",
    "NotFound",
    "RecordDamaged",
    "RegisterFields",
    "Signatory",
    "StatusChange",
    "Store",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
    "StoreExists",
    "StoreIOError",
    "StoreLocked",
    "StoreMissing",
    "StoreTooNew",
    "SubprocessorAgreement",
    "SubprocessorEntry",
    "SubprocessorUse",
    "SystemKeyring",
    "UnsafeLocation",
    "WrongRecoveryCode",
    "backend_description",
    "default_backend",
]

