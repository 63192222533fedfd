"""Question-bank imports as background jobs: the page that starts one, the page
that follows it, all or nothing through the task, and a run that crashes half-way
and resumes without a duplicate."""

from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from core.testing import vi

from .. import imports, services
from ..interchange import GIFT
from ..models import Question, QuestionCategory, QuestionImport
from .factories import QuestionCategoryFactory, UserFactory

DATA = Path(__file__).parent / "data" / "interchange"
GIFT_FILE = DATA / "ngan_hang_cau_hoi.gift"
# Supported questions of GIFT_FILE, all added by an import into an empty bank.
GIFT_ADDED = 11
Status = QuestionImport.Status

ONE_REFUSED = (
    "::Dài::Câu có đáp án quá dài?{=" + "x" * 501 + " ~Ngắn}\n\n"
    "::Ngắn::Câu bình thường?{=Có ~Không}\n"
).encode()


@contextmanager
def small_batches():
    """Write imports two questions at a time, without pausing between batches."""
    with (
        mock.patch.object(services, "IMPORT_BATCH", 2),
        mock.patch.object(services, "IMPORT_PAUSE", 0),
    ):
        yield


def editor_with(*codenames: str):
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", *codenames])
    )
    return user


def vi_status(label: str) -> str:
    """Return an import status as the Vietnamese admin shows it."""
    with translation.override("vi"):
        return translation.pgettext("question import", label)


def added_message(count: int) -> str:
    return vi(
        "%(counter)s question added.",
        "%(counter)s questions added.",
        count,
        counter=count,
    )


class ImportJobTestCase(TestCase):
    def setUp(self):
        self.editor = editor_with("add_question")
        self.client.force_login(self.editor)

    def upload(self, name: str, content: bytes, **data):
        """Post the file to the import page; return the response, not followed."""
        return self.client.post(
            reverse("quizzes_import"),
            {"file": SimpleUploadedFile(name, content), **data},
        )

    def job_url(self, job: QuestionImport) -> str:
        return reverse("quizzes_import_job", args=[job.pk])


class StartTests(ImportJobTestCase):
    def test_the_page_keeps_the_file_enqueues_the_task_and_redirects(self):
        """Uploading keeps the file in a job, enqueues its task and sends the
        editor to the job's page."""
        finished = []

        def record(sender, task_result, **kwargs):
            finished.append(task_result)

        task_finished.connect(record)
        try:
            with mock.patch.object(
                imports, "question_import_run", wraps=imports.question_import_run
            ) as run:
                response = self.upload(
                    GIFT_FILE.name, GIFT_FILE.read_bytes(), valid_only="on"
                )
        finally:
            task_finished.disconnect(record)

        job = QuestionImport.objects.get()
        self.assertRedirects(response, self.job_url(job))
        self.assertEqual(
            [r.task.name for r in finished if r.task.name == "question_import_task"],
            ["question_import_task"],
        )
        result = next(r for r in finished if r.task.name == "question_import_task")
        self.assertEqual(result.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(result.args, [job.pk])
        self.assertEqual(job.task_id, result.id)
        run.assert_called_once_with(import_id=job.pk)
        self.assertEqual(
            (job.file_name, job.size, job.format, job.created_by),
            (GIFT_FILE.name, GIFT_FILE.stat().st_size, GIFT, self.editor),
        )
        self.assertEqual(job.options, {"root": None, "all_or_nothing": False})
        self.assertEqual((job.status, job.total, job.done), (Status.DONE, 11, 11))
        self.assertEqual(job.added, GIFT_ADDED)
        # The bytes are no longer needed once the import is done.
        self.assertEqual(bytes(job.content), b"")

    def test_the_job_is_queued_until_a_worker_takes_it(self):
        """Until a worker runs it, the job waits with the file kept in the
        database, and nothing is added."""
        with mock.patch.object(imports, "_enqueue"):
            self.upload(GIFT_FILE.name, GIFT_FILE.read_bytes())
        job = QuestionImport.objects.get()
        self.assertEqual(job.status, Status.QUEUED)
        self.assertEqual(bytes(job.content), GIFT_FILE.read_bytes())
        self.assertEqual(Question.objects.count(), 0)

    def test_the_chosen_category_and_format_are_kept(self):
        """The category to import beneath and the format chosen travel with the
        job to the task."""
        root = QuestionCategoryFactory(name="Ngân hàng tỉnh")
        self.upload(
            "cau-hoi.txt", GIFT_FILE.read_bytes(), format=GIFT, category=root.pk
        )
        job = QuestionImport.objects.get()
        self.assertEqual(job.options, {"root": root.pk, "all_or_nothing": True})
        question = Question.objects.get(text__startswith="Tài khoản định danh")
        self.assertEqual(
            str(question.category), "Ngân hàng tỉnh › Dịch vụ công › VNeID"
        )

    def test_an_oversized_file_is_refused_on_the_form(self):
        """A file over the limit is refused on the form, in Vietnamese, and no job
        is started."""
        content = b"x" * (services.QUESTION_FILE_MAX_BYTES + 1)
        response = self.upload("lon.gift", content)
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            vi("The file is larger than %(max)d MB, the most an import takes.", max=10),
        )
        self.assertFalse(QuestionImport.objects.exists())

    def test_someone_who_cannot_add_questions_sees_no_import(self):
        """Without the permission to add questions, neither the import page nor
        anyone's job page nor resuming is open."""
        job = imports.question_import_start(
            source=GIFT_FILE.read_bytes(),
            filename=GIFT_FILE.name,
            created_by=self.editor,
        )
        self.client.force_login(editor_with("change_question"))
        # The admin answers a refusal with its home page and a message.
        home = reverse("wagtailadmin_home")
        for url in (reverse("quizzes_import"), self.job_url(job)):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertRedirects(response, home, fetch_redirect_response=False)
        response = self.client.post(reverse("quizzes_import_resume", args=[job.pk]))
        self.assertRedirects(response, home, fetch_redirect_response=False)

    def test_another_editor_follows_the_job(self):
        """Any editor who may add questions may follow an import someone else
        started."""
        job = imports.question_import_start(
            source=GIFT_FILE.read_bytes(),
            filename=GIFT_FILE.name,
            created_by=self.editor,
        )
        self.client.force_login(editor_with("add_question"))
        self.assertContains(self.client.get(self.job_url(job)), added_message(11))


class JobPageTests(ImportJobTestCase):
    def test_the_page_shows_progress_then_the_report(self):
        """While the job waits, its page shows a progress bar that refreshes
        itself every 2 seconds; once done, the refresh answers with the report
        only, and stops."""
        with mock.patch.object(imports, "_enqueue"):
            self.upload(GIFT_FILE.name, GIFT_FILE.read_bytes())
        job = QuestionImport.objects.get()
        page = self.client.get(self.job_url(job))
        self.assertContains(page, vi_status("Waiting to start"))
        self.assertContains(page, '<progress class="w-w-full" max="1" value="0"')
        self.assertContains(page, 'hx-trigger="every 2s"')
        self.assertContains(page, "htmx-2.min.js")
        self.assertContains(page, 'http-equiv="refresh"')  # without JavaScript too
        self.assertContains(page, GIFT_FILE.name)

        imports.question_import_run(import_id=job.pk)
        partial = self.client.get(self.job_url(job), headers={"HX-Request": "true"})
        self.assertNotContains(partial, "<html")
        self.assertNotContains(partial, "hx-trigger")
        self.assertNotContains(partial, "<progress")
        self.assertContains(partial, vi_status("Finished"))
        self.assertContains(partial, added_message(GIFT_ADDED))
        self.assertContains(partial, "Ghép ứng dụng")
        self.assertContains(partial, vi("Matching"))
        self.assertContains(partial, vi("type not supported"))
        self.assertContains(partial, vi("added"))

    def test_the_page_shows_how_many_questions_are_written(self):
        """A job stopped half-way shows how many of its questions were written,
        the error in Vietnamese and a button to resume."""
        with (
            small_batches(),
            mock.patch.object(services, "_question_store", dies_on_call(6)),
        ):
            response = self.upload(GIFT_FILE.name, GIFT_FILE.read_bytes())
        job = QuestionImport.objects.get()
        page = self.client.get(response.url)
        self.assertContains(page, '<progress class="w-w-full" max="11" value="4"')
        self.assertContains(
            page,
            vi(
                "Adding the questions: %(done)s of %(total)s.",
                done=4,
                total=11,
            ),
        )
        self.assertContains(
            page,
            vi(
                "The import stopped with an error. The questions already added are "
                "kept; resuming goes on from where it stopped and adds none of them "
                "twice."
            ),
        )
        self.assertContains(page, "disk full")
        self.assertContains(page, reverse("quizzes_import_resume", args=[job.pk]))
        self.assertNotContains(page, "hx-trigger")

    def test_the_import_page_lists_earlier_imports(self):
        """The import page lists earlier imports with their status."""
        self.upload(GIFT_FILE.name, GIFT_FILE.read_bytes())
        job = QuestionImport.objects.get()
        page = self.client.get(reverse("quizzes_import"))
        self.assertContains(page, self.job_url(job))
        self.assertContains(
            page,
            vi(
                "%(counter)s question added",
                "%(counter)s questions added",
                GIFT_ADDED,
                counter=GIFT_ADDED,
            ),
        )


def dies_on_call(number: int):
    """Return a stand-in for storing a question that fails on its n-th call."""
    real = services._question_store
    calls = []

    def store(item, *args):
        calls.append(item)
        if len(calls) == number:
            raise OSError("disk full")
        return real(item, *args)

    return store


class AllOrNothingTests(ImportJobTestCase):
    def test_one_refused_question_adds_none(self):
        """Unticked “valid only”, one refused question means the task adds none,
        and the report says why."""
        response = self.upload("mot-cau-loi.gift", ONE_REFUSED)
        job = QuestionImport.objects.get()
        self.assertEqual((job.status, job.total, job.added), (Status.DONE, 0, 0))
        self.assertEqual(Question.objects.count(), 0)
        self.assertEqual(QuestionCategory.objects.count(), 0)
        page = self.client.get(response.url)
        self.assertContains(
            page,
            vi(
                "Nothing was added, since some questions were refused. Correct them, "
                "or tick “add the valid questions only”."
            ),
        )
        self.assertContains(page, vi("refused"))
        self.assertContains(page, vi("not added"))

    def test_valid_only_adds_the_others(self):
        """Ticked “valid only”, the task adds the valid question and reports the
        refused one."""
        self.upload("mot-cau-loi.gift", ONE_REFUSED, valid_only="on")
        job = QuestionImport.objects.get()
        self.assertEqual((job.total, job.added), (1, 1))
        self.assertEqual(Question.objects.get().text, "Câu bình thường?")
        report = imports.import_report(job)
        self.assertEqual(
            [(row.name, row.status) for row in report.rows],
            [("Dài", "refused"), ("Ngắn", "created")],
        )

    def test_a_file_with_errors_adds_nothing_even_with_valid_only(self):
        """A malformed file adds nothing, valid only or not, and every problem is
        listed with its line."""
        response = self.upload(
            "loi.gift", (DATA / "loi.gift").read_bytes(), valid_only="on"
        )
        self.assertEqual(Question.objects.count(), 0)
        page = self.client.get(response.url)
        self.assertContains(
            page,
            vi(
                "Nothing was added: the file has errors. Correct them and import "
                "the file again."
            ),
        )
        self.assertContains(page, vi("line %(line)d", line=7))

    def test_nothing_is_written_when_a_late_question_is_refused(self):
        """The verdict comes before the first write: a refused question after
        many good ones, in batches of two, still leaves the bank untouched."""
        good = "".join(f"::Câu {n}::Câu số {n}?{{=Có ~Không}}\n\n" for n in range(9))
        source = (good + ONE_REFUSED.decode()).encode()
        with small_batches():
            self.upload("nhieu-cau.gift", source)
        self.assertEqual(Question.objects.count(), 0)
        self.assertEqual(QuestionImport.objects.get().added, 0)


class ResumeTests(ImportJobTestCase):
    def crash_half_way(self) -> QuestionImport:
        """Start an import that dies on its 6th question, in batches of two: the
        third batch has stored its first question when it dies."""
        with (
            small_batches(),
            mock.patch.object(services, "_question_store", dies_on_call(6)),
        ):
            self.upload(GIFT_FILE.name, GIFT_FILE.read_bytes())
        return QuestionImport.objects.get()

    def test_a_crash_keeps_the_batches_written_and_the_file(self):
        """A run that dies keeps the batches it committed, rolls back the one it
        was writing, and keeps the file for the re-run."""
        job = self.crash_half_way()
        self.assertEqual(job.status, Status.FAILED)
        self.assertEqual(job.error, "disk full")
        # Two batches of two committed; the third died on its second question
        # and its first is rolled back with it.
        self.assertEqual((job.done, job.total), (4, 11))
        self.assertEqual(Question.objects.count(), 4)
        self.assertEqual(job.outcomes, ["created"] * 4)
        self.assertEqual(bytes(job.content), GIFT_FILE.read_bytes())

    def test_resuming_adds_the_rest_without_duplicates(self):
        """Resumed from its page, the import adds the remaining questions once
        each, and reports all of them as added."""
        job = self.crash_half_way()
        with small_batches():
            response = self.client.post(reverse("quizzes_import_resume", args=[job.pk]))
        self.assertRedirects(response, self.job_url(job))
        job.refresh_from_db()
        self.assertEqual(job.status, Status.DONE)
        self.assertEqual(Question.objects.count(), GIFT_ADDED)
        texts = list(Question.objects.values_list("text", flat=True))
        self.assertEqual(len(set(texts)), len(texts))
        report = imports.import_report(job)
        self.assertEqual(report.created, GIFT_ADDED)
        self.assertEqual(report.skipped, [])
        self.assertContains(self.client.get(self.job_url(job)), added_message(11))

    def test_a_job_whose_worker_died_resumes_once_its_heartbeat_is_old(self):
        """A worker killed half-way leaves the job running; once its heartbeat
        is old, a re-run goes on after the recorded questions."""
        job = self.crash_half_way()
        old = timezone.now() - imports.STALE_AFTER - timedelta(minutes=1)
        QuestionImport.objects.filter(pk=job.pk).update(
            status=Status.RUNNING, heartbeat_at=timezone.now()
        )
        # Still beating: another worker may be at it, so this run leaves it alone.
        self.assertIsNone(imports.question_import_run(import_id=job.pk))
        QuestionImport.objects.filter(pk=job.pk).update(heartbeat_at=old)
        job.refresh_from_db()
        self.assertIs(imports.can_resume(job), True)
        imports.question_import_resume(job=job, by=self.editor)
        job.refresh_from_db()
        self.assertEqual((job.status, job.added), (Status.DONE, GIFT_ADDED))
        self.assertEqual(Question.objects.count(), GIFT_ADDED)

    def test_a_finished_import_is_not_resumed(self):
        """A finished import cannot be run again: the page says so."""
        self.upload(GIFT_FILE.name, GIFT_FILE.read_bytes())
        job = QuestionImport.objects.get()
        response = self.client.post(
            reverse("quizzes_import_resume", args=[job.pk]), follow=True
        )
        self.assertContains(response, vi("This import is not stopped."))
        self.assertIsNone(imports.question_import_run(import_id=job.pk))
        self.assertEqual(Question.objects.count(), GIFT_ADDED)

    def test_a_deleted_category_stops_the_import_with_a_message(self):
        """When the category to import beneath is deleted before the job runs, the
        job fails with a message and adds nothing at the top level."""
        root = QuestionCategoryFactory()
        with mock.patch.object(imports, "_enqueue"):
            self.upload(GIFT_FILE.name, GIFT_FILE.read_bytes(), category=root.pk)
        root.delete()
        job = QuestionImport.objects.get()
        with self.assertRaises(imports.ImportStopped):
            imports.question_import_run(import_id=job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, Status.FAILED)
        self.assertEqual(
            job.error,
            vi(
                "The category to import beneath has been deleted. Import the file "
                "again and choose another one."
            ),
        )
        self.assertEqual(Question.objects.count(), 0)
