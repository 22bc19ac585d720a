"""Output folder mistakes: inside the input, unwritable, a file; each refused with its message."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from heatplan.cli import cli
from heatplan.core.errors import OutputFolderError
from heatplan.io.staging import check_not_in_input, check_output_dir


def _run(*args: str):
    result = CliRunner().invoke(cli, ["-q", *args])
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("sub", ["gis_data", "energy_labels", "gis_data/maps"])
def test_plan_refuses_an_output_folder_inside_what_it_reads(sub, toy_data_dir):
    out = toy_data_dir / sub
    result = _run("plan", "--data", str(toy_data_dir), "--out", str(out))
    assert result.exit_code == 1
    top = sub.split("/")[0]
    assert result.output == (
        f"Error: --out {out} is inside the data folder's {top}/ ({toy_data_dir / top}); the "
        "next run would read the outputs as input. Choose a folder outside gis_data/ and "
        f"energy_labels/, such as {toy_data_dir / 'maps'}.\n")
    assert sorted(p.name for p in (toy_data_dir / "gis_data").iterdir()) == ["toy.gpkg"]


def test_plan_refuses_the_data_folder_itself(toy_data_dir):
    result = _run("plan", "--data", str(toy_data_dir), "--out", str(toy_data_dir))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: --out {toy_data_dir} is the data folder itself; outputs would mix with the "
        f"data. Choose a folder beside or below it, such as {toy_data_dir / 'maps'}.\n")


def test_rank_and_validate_refuse_outputs_inside_the_input(toy_data_dir):
    rank = _run("rank", "--data", str(toy_data_dir), "--out", str(toy_data_dir / "gis_data"))
    assert rank.exit_code == 1 and "is inside the data folder's gis_data/" in rank.output
    target = toy_data_dir / "energy_labels" / "rejected.gpkg"
    validate = _run("validate", str(toy_data_dir), "--rejected", str(target))
    assert validate.exit_code == 1
    assert validate.output.startswith(f"Error: --rejected {target} is inside the data folder's "
                                      "energy_labels/")
    assert not target.exists()


def test_an_output_folder_below_a_file_is_refused(tmp_path, toy_data_dir):
    blocker = tmp_path / "report.txt"
    blocker.write_text("not a folder")
    result = _run("plan", "--data", str(toy_data_dir), "--out", str(blocker / "maps"))
    assert result.exit_code == 1
    assert result.output == (f"Error: The output folder {blocker / 'maps'} lies in {blocker}, "
                             "which is a file, not a folder. Choose another --out.\n")
    with pytest.raises(OutputFolderError, match=r"report.txt is a file, not a folder"):
        check_output_dir(blocker)


def _read_only_folder(tmp_path):
    """A folder this process cannot write to, or a skip saying why none can be made."""
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        return folder
    try:  # root writes anywhere a permission bit forbids; sysfs refuses even root
        check_output_dir("/sys")
    except OutputFolderError:
        return os.path.realpath("/sys")
    pytest.skip("running as root without a read-only file system: no folder is unwritable")


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path, toy_data_dir):
    locked = _read_only_folder(tmp_path)
    out = f"{locked}/maps"
    try:
        result = _run("plan", "--data", str(toy_data_dir), "--out", out)
    finally:
        if os.geteuid() != 0:
            (tmp_path / "locked").chmod(stat.S_IRWXU)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: The output folder {out} cannot be written to (it would be made in {locked}): "
        f"Permission denied. Choose another --out, or give yourself write permission there "
        f"(chmod u+w {locked}).\n")


def test_outputs_beside_the_input_folders_are_fine(tmp_path):
    data = tmp_path / "data"
    check_not_in_input(data / "maps", data)
    check_not_in_input(tmp_path / "elsewhere", data)
    check_not_in_input(data / "gis_data_old", data)
    with pytest.raises(OutputFolderError, match="inside the data folder's gis_data/"):
        check_not_in_input(data / "gis_data" / ".." / "gis_data" / "x", data)
