# Config validation (one-line errors) and the fan-out lists. No computation here.
import sys

from snakemake.utils import validate

from fwbm_bench.config import SCHEMA_PATH, check_config
from fwbm_bench.errors import ConfigError

try:
    _checked = check_config(config)
except ConfigError as _error:
    sys.exit(f"fwbm-bench config error: {_error}")
validate(config, str(SCHEMA_PATH))  # fills the schema's defaults into `config`

SUBJECTS = config["subjects"]
CONNECTOMES = config["connectomes"]
ENTRIES = config["entries"]
TASKS = config["tasks"]


wildcard_constraints:
    subject="[^/]+",
    connectome="[^/]+",
    entry="[^/]+",
    task="[^/]+",


def all_combinations(pattern, **extra):
    return expand(pattern, entry=ENTRIES, subject=SUBJECTS, connectome=CONNECTOMES, **extra)
