"""The models of campaigns, one module per part (Django looks for them here):

- ``publicity``: publicity and training events and their files (节能宣传);
- ``inspections``: spot checks and their findings (抽查、通报), repair requests (跑冒滴漏);
- ``energy``: the conversion factors of comprehensive energy and carbon (综合能耗、碳排放);
- ``creation``: the creation workflow (申报 → 自评 → 核查) and the organisation behind it (附件1).
"""

from .creation.models import (  # noqa: F401
    Body,
    Creation,
    EvaluationItem,
    EvaluationScheme,
    EvidenceSource,
    ItemCategory,
    ItemScore,
    ItemVerdict,
    ManagementOffice,
    OrganisationMember,
    Position,
    Result,
    Stage,
    Verdict,
    Verification,
)
from .energy.models import Carrier, EnergyFactor, FactorKind  # noqa: F401
from .inspections.models import (  # noqa: F401
    AcMode,
    CheckItem,
    RepairKind,
    RepairRequest,
    SpotCheck,
    SpotCheckFinding,
    SpotCheckPhoto,
)
from .publicity.models import Channel, Event, EventFile, EventKind  # noqa: F401
