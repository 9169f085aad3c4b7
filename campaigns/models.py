"""The models of campaigns, one module per part (Django looks for them here):

- ``publicity``: publicity and training events and their files (节能宣传);
- ``inspections``: spot checks and their findings (抽查、通报), repair requests (跑冒滴漏);
- the creation workflow (申报 → 自评 → 核查) adds its own part beside them.
"""

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
