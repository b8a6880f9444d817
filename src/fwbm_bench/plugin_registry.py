"""Registries that built-ins and plugins fill alike: name -> object, with where each came from.

A plugin is an installed package that declares Python entry points in one of the groups
``fwbm_bench.models``, ``fwbm_bench.entries``, ``fwbm_bench.tasks`` and ``fwbm_bench.metrics``
(e.g. in its pyproject.toml: ``[project.entry-points."fwbm_bench.models"] mpr = "pkg.mpr:MPR"``).
Each entry point names one object or a list of them; its registry loads them the first time
it is read, so importing fwbm-bench never runs plugin code. Quick experiments can instead name
objects in the config (``plugins: ["module:attribute"]``, :mod:`fwbm_bench.plugins`).

Nothing else executes code: a config or a data folder only ever names registered objects.
A name defined twice (two plugins, or a plugin and a built-in) is an error naming both sources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib.metadata import entry_points

from fwbm_bench.errors import ConfigError

BUILT_IN = "fwbm-bench (built in)"


class Registry(Mapping):
    """A read-only mapping name -> object whose installed plugins load on first access.

    ``kind`` names the objects in messages ("node model"); ``group`` is the entry-point
    group; ``name_of`` gives an object's registered name; ``accepts`` says whether an
    object is of the registry's kind (a plugin naming something else is an error).
    """

    def __init__(self, kind: str, group: str, builtins, name_of: Callable = lambda obj: obj.name,
                 accepts: Callable = lambda obj: True):
        self.kind, self.group = kind, group
        self._name_of, self._accepts = name_of, accepts
        self._items: dict = {}
        self._sources: dict[str, str] = {}
        self._plugins_loaded = False
        for obj in builtins:
            self.add(obj, BUILT_IN)

    def accepts(self, obj) -> bool:
        """Whether ``obj`` is of this registry's kind."""
        return bool(self._accepts(obj))

    def add(self, obj, source: str) -> None:
        """Register ``obj`` (one object, or a list or tuple of them) from ``source``."""
        for item in obj if isinstance(obj, (list, tuple)) else (obj,):
            if not self.accepts(item):
                raise ConfigError(f"{source}: expected a {self.kind}, found {item!r}")
            name = self._name_of(item)
            if not isinstance(name, str) or not name:
                raise ConfigError(f"{source}: a {self.kind} needs a non-empty string name, found {name!r}")
            if name in self._items:
                if self._items[name] is item:
                    continue  # the same object named twice (e.g. a config plugin that is also installed)
                raise ConfigError(f"{self.kind} '{name}' is defined twice: by {self._sources[name]} and by {source}")
            self._items[name] = item
            self._sources[name] = source

    def source(self, name: str) -> str:
        """Where ``name`` was registered from: built in, an entry point, or the config."""
        self._load_plugins()
        return self._sources[name]

    def _load_plugins(self) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        for point in sorted(entry_points(group=self.group), key=lambda p: (p.dist.name if p.dist else "", p.name)):
            package = point.dist.name if point.dist else "an unknown distribution"
            source = f"plugin package '{package}' (entry point '{point.name} = {point.value}' in group '{self.group}')"
            try:
                obj = point.load()
            except Exception as error:  # a broken plugin must say which one it is
                raise ConfigError(f"{source}: cannot be loaded: {type(error).__name__}: {error}") from error
            self.add(obj, source)

    def __getitem__(self, name):
        self._load_plugins()
        return self._items[name]

    def __iter__(self) -> Iterator:
        self._load_plugins()
        return iter(self._items)

    def __len__(self) -> int:
        self._load_plugins()
        return len(self._items)

    def __contains__(self, name) -> bool:
        self._load_plugins()
        return name in self._items

    def __repr__(self) -> str:
        return f"Registry({self.kind}: {', '.join(self)})"
