"""The code's layout holds: one import package of its own beside PyPI's `schema`, no module
named after the standard library's, no import cycle, and a `--help` that loads nothing heavy.
(The layers themselves are import-linter's contracts in pyproject.toml.)"""

import subprocess
import sys
import zipfile

import grimp
from conftest import ROOT


def test_the_wheel_puts_one_package_of_its_own_into_site_packages(tmp_path):
    # What `pip install` of the distribution writes: the wheel's top-level names.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
    assert tops == {"complaints_register", "complaints_register-0.1.0.dist-info"}


def test_pypi_schema_and_this_package_work_side_by_side(tmp_path):
    # Both are installed in this environment (the test extras install PyPI's schema): each
    # import finds its own, and the command runs. From a folder of its own, as a user would:
    # in the repository's root, `import schema` would find the folder itself.
    code = (
        "import schema, complaints_register.schema as ours;"
        "assert schema.Schema(int).validate(1) == 1;"
        "assert ours.Complaint.__module__ == 'complaints_register.schema.complaint'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "complaints_register", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert helped.returncode == 0 and "Usage: " in helped.stdout, helped.stderr


def _modules() -> list[str]:
    return sorted(grimp.build_graph("complaints_register").modules)


def test_no_module_is_named_after_a_standard_library_module():
    clashes = [m for m in _modules() if m.rsplit(".", 1)[-1] in sys.stdlib_module_names]
    assert clashes == []


def test_no_import_cycle():
    graph = grimp.build_graph("complaints_register")
    cycles = {
        tuple(sorted((module, imported)))
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.find_shortest_chain(importer=imported, imported=module)
    }
    assert cycles == set()


HEAVY = (
    "holidays",
    "babel",
    "scipy",
    "numpy",
    "git",
    "mkdocs",
    "jinja2",
    "ruamel",
    "phonenumbers",
    "stdnum",
    "pyrage",
    "pygal",
    "material",
    "dateutil",
)


def test_help_loads_nothing_heavy():
    code = (
        "import sys\n"
        "from complaints_register.cli.main import cli\n"
        "try:\n    cli(['--help'], prog_name='complaints')\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    loaded = {name.split(".")[0] for name in done.stdout.split()}
    assert done.returncode == 0, done.stderr
    assert "complaints_register" in loaded
    assert sorted(loaded & set(HEAVY)) == []
