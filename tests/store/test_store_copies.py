"""Documents opened from the register are decrypted only into this user's private folder,
under random names, and swept away (issue 20, point 1)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from dpa_desktop import paths
from dpa_desktop.answers import example_answers
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.store import RecordDamaged, Store, UnsafeLocation, copies

POSIX = os.name == "posix"


@pytest.fixture
def aid(store: Store, vcare: FormSpec, documents: tuple[Path, Path], tmp_path: Path) -> int:
    agreement = store.record_agreement(vcare, example_answers(vcare), *documents)
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(3000))
    store.attach_scan(agreement, scan)
    return agreement


def test_a_copy_is_private_and_randomly_named(
        store: Store, aid: int, documents: tuple[Path, Path]) -> None:
    first = store.document_copy(aid, "pdf")
    second = store.document_copy(aid, "pdf")
    assert first != second
    assert first.parent == second.parent == paths.private_temp_dir()
    assert first.name.startswith(f"overeenkomst-{aid}-pdf-") and first.suffix == ".pdf"
    assert len(first.stem.rsplit("-", 1)[1]) == 16  # 64 random bits
    assert first.read_bytes() == documents[1].read_bytes()
    assert store.document_copy(aid, "scan").suffix == ".png"
    if POSIX:
        assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(first.stat().st_mode) == 0o600


def test_a_copy_of_a_damaged_document_leaves_nothing_behind(store: Store, aid: int) -> None:
    import sqlite3

    conn = sqlite3.connect(store.data_dir / "register.sqlite", isolation_level=None)
    blob = bytearray(conn.execute("SELECT data_blob FROM documents WHERE agreement_id = ? AND "
                                  "kind = 'docx'", (aid,)).fetchone()[0])
    blob[20] ^= 0x01
    conn.execute("UPDATE documents SET data_blob = ? WHERE agreement_id = ? AND kind = 'docx'",
                 (bytes(blob), aid))
    conn.close()
    with pytest.raises(RecordDamaged) as err:
        store.document_copy(aid, "docx")
    assert "DOCX-document" in str(err.value)
    assert list(paths.private_temp_dir().iterdir()) == []


def test_sweeping_removes_copies_and_leaves_younger_ones_when_asked(store: Store,
                                                                    aid: int) -> None:
    old = store.document_copy(aid, "pdf")
    young = store.document_copy(aid, "docx")
    past = time.time() - 600
    os.utime(old, (past, past))
    assert copies.sweep(min_age_seconds=120) == 1
    assert not old.exists() and young.exists()
    assert copies.sweep() == 1  # at start and at close: everything
    assert list(paths.private_temp_dir().iterdir()) == []


def test_remove_deletes_only_copies(store: Store, aid: int, tmp_path: Path) -> None:
    copy = store.document_copy(aid, "pdf")
    elsewhere = tmp_path / "eigen.pdf"
    elsewhere.write_bytes(b"%PDF")
    assert not copies.remove(elsewhere) and elsewhere.exists()
    assert copies.remove(copy) and not copy.exists()


@pytest.mark.skipif(not POSIX or os.geteuid() != 0, reason="needs root to hand a folder to "
                                                           "another user")
def test_a_folder_someone_else_created_first_is_never_used(store: Store, aid: int) -> None:
    folder = paths.private_temp_dir()
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)
    os.chown(folder, 4242, 4242)  # another user made it first on a shared machine
    with pytest.raises(UnsafeLocation) as err:
        store.document_copy(aid, "pdf")
    assert "andere gebruiker" in str(err.value) and "niets geschreven" in str(err.value)
    assert list(folder.iterdir()) == []
    assert copies.sweep() == 0


@pytest.mark.skipif(not POSIX, reason="symbolic links to folders need privileges on Windows")
def test_a_symlink_in_place_of_the_folder_is_never_used(store: Store, aid: int,
                                                        tmp_path: Path) -> None:
    target = tmp_path / "elders"
    target.mkdir(mode=0o700)
    folder = paths.private_temp_dir()
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.symlink_to(target)
    with pytest.raises(UnsafeLocation):
        store.document_copy(aid, "pdf")
    assert list(target.iterdir()) == []
