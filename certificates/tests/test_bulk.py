"""Bulk certificates: who gets one, the order of the pages, the ZIP, and a run
that crashes half-way and resumes without a duplicate, a changed code or a file
left behind."""

import datetime
import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from certificates import bulk, pdf
from certificates.models import Certificate, CertificateBatch, CertificateBatchItem
from certificates.storage import private_storage
from certificates.tasks import certificate_batch_task
from classes.tests.factories import TrainingClassFactory
from core.testing import vi
from users.tests.factories import UserFactory

from .bulk_world import CERTIFIED_IN_ROLL_ORDER, build_world, enrol, member

pytestmark = pytest.mark.django_db

Item = CertificateBatchItem
Status = CertificateBatch.Status


@pytest.fixture
def world():
    return build_world()


def class_batch(world) -> CertificateBatch:
    return bulk.certificate_bulk_issue(
        course=world.course,
        created_by=world.teacher,
        training_class=world.training_class,
    )


def pdf_pages(data: bytes) -> list[str]:
    """Return the text of each page of the PDF."""
    info = subprocess.run(
        ["pdfinfo", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    pages = int(
        next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]
    )
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", "-", "-"],
            input=data,
            capture_output=True,
            check=True,
        ).stdout.decode()
        for n in range(1, pages + 1)
    ]


def read_outputs(batch: CertificateBatch) -> tuple[dict[str, bytes], bytes]:
    batch.refresh_from_db()
    with batch.zip_file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    entries = {name: archive.read(name) for name in archive.namelist()}
    with batch.print_file.open("rb") as handle:
        return entries, handle.read()


def files_in_folder(batch: CertificateBatch) -> list[str]:
    folder = Path(private_storage().path(f"certificate-batches/{batch.pk}"))
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def codes(batch: CertificateBatch) -> dict[int, str]:
    return dict(
        Certificate.objects.filter(course=batch.course).values_list("user_id", "code")
    )


def test_a_class_batch_certifies_the_eligible_and_gives_the_others_reasons(world):
    batch = class_batch(world)

    assert batch.status == Status.DONE
    items = {item.user.full_name: item for item in batch.items.select_related("user")}
    assert {n for n, i in items.items() if i.status == Item.Status.RENDERED} == set(
        CERTIFIED_IN_ROLL_ORDER
    )
    assert items["Nguyễn Thị Dung"].status == Item.Status.INELIGIBLE
    assert items["Nguyễn Thị Dung"].reason == vi("The course is not complete yet.")
    assert items["Phạm Văn Em"].status == Item.Status.INELIGIBLE
    assert items["Phạm Văn Em"].reason == vi("Not enrolled in this course.")
    certificates = Certificate.objects.filter(course=world.course)
    assert certificates.count() == 3
    assert {c.issued_by for c in certificates} == {world.teacher}
    assert {c.training_class for c in certificates} == {world.training_class}
    progress = bulk.batch_progress(batch)
    assert (progress.total, progress.rendered, progress.ineligible) == (5, 3, 2)
    assert progress.percent == 100


def test_the_preview_counts_what_a_run_would_do(world):
    """Before a run: three would get a certificate, two not; after, the three
    already hold theirs."""
    roster = bulk.class_roster(training_class=world.training_class)
    before = bulk.certificate_bulk_preview(
        users=roster, course=world.course, training_class=world.training_class
    )
    assert (before.eligible, before.already_certified, len(before.ineligible)) == (
        3,
        0,
        2,
    )
    class_batch(world)
    after = bulk.certificate_bulk_preview(
        users=roster, course=world.course, training_class=world.training_class
    )
    assert (after.eligible, after.already_certified, len(after.ineligible)) == (
        0,
        3,
        2,
    )


def test_the_print_pdf_has_one_page_per_certified_person_in_roll_order(world):
    batch = class_batch(world)

    _, print_pdf = read_outputs(batch)
    pages = pdf_pages(print_pdf)
    assert len(pages) == 3
    for page, name in zip(pages, CERTIFIED_IN_ROLL_ORDER, strict=True):
        assert name in " ".join(page.split())


def test_the_zip_holds_one_pdf_per_certified_person_named_by_page_and_name(world):
    batch = class_batch(world)

    entries, _ = read_outputs(batch)
    by_user = codes(batch)
    an, binh, cuong = (world.members[n].pk for n in CERTIFIED_IN_ROLL_ORDER)
    assert sorted(entries) == [
        f"0001-dang-thi-an-{by_user[an]}.pdf",
        f"0002-tran-van-binh-{by_user[binh]}.pdf",
        f"0003-le-van-cuong-{by_user[cuong]}.pdf",
    ]
    for name, data in entries.items():
        assert data.startswith(b"%PDF"), name
    first = pdf_pages(entries[f"0001-dang-thi-an-{by_user[an]}.pdf"])
    assert len(first) == 1
    assert "Đặng Thị An" in " ".join(first[0].split())


def test_running_twice_gives_the_same_certificates_and_codes(world):
    first = class_batch(world)
    codes_before = codes(first)

    assert bulk.certificate_batch_run(batch_id=first.pk) is None  # done: no-op
    second = class_batch(world)

    assert second.pk != first.pk
    assert second.status == Status.DONE
    assert codes(second) == codes_before
    assert Certificate.objects.count() == 3
    entries, _ = read_outputs(second)
    assert len(entries) == 3


def test_a_renderer_killed_half_way_leaves_no_file_and_the_rerun_completes(
    world, monkeypatch
):
    """The renderer dies after two certificates: the batch is failed with the
    error, what was done is kept, and no output or temporary file remains. Run
    again, it finishes with the same certificates and codes and full outputs."""
    monkeypatch.setattr(bulk, "RENDER_CHUNK", 2)
    real = pdf.certificates_pdfs

    def dies_after_two(certificates, **kwargs):
        for number, pair in enumerate(real(certificates, **kwargs)):
            if number == 2:
                raise RuntimeError("renderer killed")
            yield pair

    monkeypatch.setattr(pdf, "certificates_pdfs", dies_after_two)
    batch = class_batch(world)

    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert batch.error == "renderer killed"
    statuses = list(batch.items.values_list("status", flat=True))
    assert statuses.count(Item.Status.RENDERED) == 2
    assert statuses.count(Item.Status.ISSUED) == 1
    assert not batch.zip_file and not batch.print_file
    assert files_in_folder(batch) == []
    codes_after_crash = codes(batch)
    assert len(codes_after_crash) == 3

    monkeypatch.setattr(pdf, "certificates_pdfs", real)
    certificate_batch_task.enqueue(batch.pk)

    batch.refresh_from_db()
    assert batch.status == Status.DONE
    assert batch.error == ""
    assert codes(batch) == codes_after_crash
    assert Certificate.objects.count() == 3
    entries, print_pdf = read_outputs(batch)
    assert len(entries) == 3
    assert len(pdf_pages(print_pdf)) == 3
    assert set(batch.items.values_list("status", flat=True)) == {
        Item.Status.RENDERED,
        Item.Status.INELIGIBLE,
    }
    assert not [n for n in files_in_folder(batch) if n.endswith(".part")]


def test_a_run_that_dies_while_issuing_resumes_with_the_pending_items(
    world, monkeypatch
):
    real = bulk.certificate_issue
    calls = []

    def dies_on_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(bulk, "certificate_issue", dies_on_second)
    batch = class_batch(world)
    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert batch.items.filter(status=Item.Status.PENDING).count() >= 1
    issued_before = codes(batch)
    assert len(issued_before) == 1

    monkeypatch.setattr(bulk, "certificate_issue", real)
    bulk.certificate_batch_run(batch_id=batch.pk)

    batch.refresh_from_db()
    assert batch.status == Status.DONE
    after = codes(batch)
    assert len(after) == 3
    assert {k: after[k] for k in issued_before} == issued_before


def test_a_killed_worker_leaves_a_stale_batch_that_resumes_and_cleans_up(world):
    """A worker killed mid-render leaves the batch running, its temporaries on
    disk; once its heartbeat is old, a new run removes them and finishes."""
    batch = class_batch(world)
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=Status.RUNNING,
        zip_file="",
        print_file="",
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    folder = Path(private_storage().path(f"certificate-batches/{batch.pk}"))
    (folder / f"chung-chi-{batch.pk}.zip.part").write_bytes(b"half a zip")

    # Still beating: another worker may be at it, so this call leaves it alone.
    assert bulk.certificate_batch_run(batch_id=batch.pk) is None

    CertificateBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - bulk.STALE_AFTER - datetime.timedelta(1)
    )
    batch.refresh_from_db()
    assert bulk.can_resume(batch) is True
    bulk.certificate_batch_resume(batch=batch, by=world.teacher)

    batch.refresh_from_db()
    assert batch.status == Status.DONE
    assert files_in_folder(batch) == [
        f"ban-in-{batch.pk}.pdf",
        f"chung-chi-{batch.pk}.zip",
    ]
    assert Certificate.objects.count() == 3


def test_the_job_goes_through_django_tasks(world):
    finished = []

    def record(sender, task_result, **kwargs):
        # (The reports' counts are refreshed by tasks of their own after it.)
        if task_result.task.name != "report_counts_refresh_task":
            finished.append(task_result)

    task_finished.connect(record)
    try:
        batch = class_batch(world)
    finally:
        task_finished.disconnect(record)

    assert [r.task.name for r in finished] == ["certificate_batch_task"]
    assert finished[0].status == TaskResultStatus.SUCCESSFUL
    assert finished[0].args == [batch.pk]
    assert batch.task_id == finished[0].id


def test_a_running_batch_is_returned_rather_than_started_twice(world, monkeypatch):
    monkeypatch.setattr(bulk, "_enqueue", lambda batch: None)  # a worker not yet up
    first = class_batch(world)
    again = class_batch(world)

    assert first.status == Status.QUEUED
    assert again.pk == first.pk
    assert CertificateBatch.objects.count() == 1


def test_only_those_who_manage_the_class_may_start_it(world):
    stranger = UserFactory(full_name="Thầy Lạ")
    with pytest.raises(PermissionDenied):
        bulk.certificate_bulk_issue(
            course=world.course,
            created_by=stranger,
            training_class=world.training_class,
        )
    with pytest.raises(PermissionDenied):  # an official sees the class, read-only
        bulk.certificate_bulk_issue(
            course=world.course,
            created_by=world.official,
            training_class=world.training_class,
        )
    assert CertificateBatch.objects.count() == 0


def test_a_unit_batch_takes_who_completed_under_the_unit_by_unit_then_name(world):
    """Under Tỉnh Hưng Yên: the class's three who completed, a learner living in
    another commune of the province, and a class member who lives elsewhere; not
    a learner of another province."""
    elsewhere = UserFactory(full_name="Võ Thị Xa", home_region=world.other_province)
    enrol(elsewhere, world.course)
    mover = member(
        world.training_class,
        UserFactory(full_name="Hồ Văn Chuyển", home_region=world.other_province),
    )
    enrol(mover, world.course)
    neighbour = UserFactory(full_name="Bùi Thị Hàng", home_region=world.other_commune)
    enrol(neighbour, world.course)

    batch = bulk.certificate_bulk_issue(
        course=world.course, created_by=world.official, region=world.province
    )

    assert batch.status == Status.DONE
    names = [
        i.user.full_name
        for i in batch.items.select_related("user").order_by("position")
    ]
    in_commune = ["Đặng Thị An", "Trần Văn Bình", "Hồ Văn Chuyển", "Lê Văn Cường"]
    in_neighbour = ["Bùi Thị Hàng"]
    if world.commune.path < world.other_commune.path:
        assert names == in_commune + in_neighbour
    else:
        assert names == in_neighbour + in_commune
    assert set(batch.items.values_list("status", flat=True)) == {Item.Status.RENDERED}
    _, print_pdf = read_outputs(batch)
    assert len(pdf_pages(print_pdf)) == 5


def test_an_official_cannot_start_a_batch_outside_their_unit(world):
    with pytest.raises(PermissionDenied):
        bulk.certificate_bulk_issue(
            course=world.course,
            created_by=world.official,
            region=world.other_province,
        )
    with pytest.raises(PermissionDenied):  # a teacher is no official
        bulk.certificate_bulk_issue(
            course=world.course, created_by=world.teacher, region=world.province
        )


def test_a_course_the_class_does_not_teach_is_refused(world):
    from django.core.exceptions import ValidationError

    other = TrainingClassFactory(owner=world.teacher)
    with pytest.raises(ValidationError):
        bulk.certificate_bulk_issue(
            course=world.course, created_by=world.teacher, training_class=other
        )


def test_the_progress_counts_issuing_then_rendering_and_reaches_100_when_done():
    """Ten people, two not eligible: issuing is the first part of the bar, the
    PDFs the second, and 100% is kept for the downloads being ready."""

    def progress(pending, issued, ineligible, rendered, done=False):
        return bulk.BatchProgress(
            total=10,
            pending=pending,
            issued=issued,
            ineligible=ineligible,
            rendered=rendered,
            done=done,
        )

    assert progress(10, 0, 0, 0).percent == 0
    assert progress(5, 4, 1, 0).percent == 5 * 100 // 19
    issued = progress(0, 8, 2, 0)
    assert issued.percent == 10 * 100 // 18
    assert issued.rendering is True
    assert progress(0, 4, 2, 4).percent == 14 * 100 // 18
    assert progress(0, 0, 2, 8).percent == 99  # the print PDF is still to come
    assert progress(0, 0, 2, 8, done=True).percent == 100


def test_the_command_requeues_runs_whose_worker_died(world, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr(bulk, "_enqueue", lambda batch: None)  # the worker dies
    batch = class_batch(world)
    monkeypatch.undo()

    call_command("resume_certificate_batches", stdout=io.StringIO())
    batch.refresh_from_db()
    assert batch.status == Status.QUEUED  # not stale yet: left alone

    CertificateBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - bulk.STALE_AFTER - datetime.timedelta(minutes=1)
    )
    out = io.StringIO()
    call_command("resume_certificate_batches", stdout=out)

    batch.refresh_from_db()
    assert batch.status == Status.DONE
    assert "1 run(s)" in out.getvalue()
    assert Certificate.objects.count() == 3
