"""A small plan in which every field holds something, the awkward cases included.

Every nullable column is set somewhere (and left empty somewhere else),
every choice appears, names come in Cyrillic and in Latin with diacritics,
texts start with characters a spreadsheet would run as a formula, an event
ends at midnight and another at a time with seconds, a series has
exceptions of both forms and occurrences edited on their own, and the plan
remembers an accepted conflict and a release. It is what the template
round trip is tested on, besides the demo plan.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from scheduler.model import (
    CapabilityTarget,
    ClosureDay,
    CollectiveTask,
    ConflictAcceptance,
    Course,
    Enrolment,
    EvaluationMilestone,
    EventAudience,
    EventCost,
    EventInstructor,
    EventSeries,
    Instructor,
    InstructorQualification,
    Nation,
    PartnerResponse,
    Provider,
    Qualification,
    Release,
    Trainee,
    TraineePosting,
    TrainingEvent,
    TrainingRequirement,
    Unavailability,
    Unit,
    Venue,
    VenueClosure,
)
from scheduler.model.enums import (
    AbsenceKind,
    CostKind,
    CourseKind,
    EnrolmentStatus,
    EventStatus,
    InstructorRole,
    MilestoneKind,
    MilestoneResult,
    ProviderKind,
    TaskRating,
    UnitKind,
    WorkloadPeriod,
)
from scheduler.storage import create_plan

LONG_NOTE = "Дуга белешка. " * 2300  # about 32,200 characters: just fits a cell


def write_full_plan(path: Path) -> Path:
    with create_plan(path, name="Every field") as plan, plan.session() as s:
        nations = {n.code: n for n in s.scalars(select(Nation))}
        mk, al, gb = nations["MK"], nations["AL"], nations["GB"]
        mk.releasability = "MKD-EXT"
        mk.holiday_calendar = "MK"
        gb.name = "United Kingdom (Великобританија)"
        hr = Nation(
            code="HR",
            name="Hrvatska",
            time_zone="Europe/Zagreb",
            holiday_calendar="HR",
            languages=["hr", "en"],
            releasability=None,
        )
        s.add(hr)

        cfa = Qualification(code="CFA-I", name="Combat first aid instructor", validity_months=24)
        dfd = Qualification(code="DFD", name="Откривање лажни документи", validity_months=None)
        s.add_all([cfa, dfd])

        basic = Course(
            code="FA-1",
            title="Прва помош — основна",
            category="Medical",
            duration_days=3,
            daily_hours=3.5,
            min_trainees=4,
            max_trainees=12,
            trainees_per_instructor=6,
            language="mk",
            required_facilities=["classroom", "first-aid kit"],
            colour="#C00000",
            description="Line one.\nLine two: = not a formula; Šabić, Ëlira",
            validity_months=36,
            required_qualifications=[cfa],
        )
        advanced = Course(
            code="FA-2",
            title="=Advanced first aid",
            category="Medical",
            duration_days=5,
            daily_hours=7.0,
            min_trainees=None,
            max_trainees=None,
            trainees_per_instructor=None,
            language="cnr",
            required_facilities=[],
            colour=None,
            description=None,
            required_qualifications=[cfa, dfd],
            prerequisites=[basic],
        )
        exercise = Course(
            code="FTX-1",
            title="Вежба на баталјон",
            category="Exercises",
            kind=CourseKind.EXERCISE,
            duration_days=10,
            daily_hours=10.0,
            language="en",
            required_facilities=["range"],
        )
        s.add_all([basic, advanced, exercise])
        s.flush()

        battalion = Unit(
            code="MK-1BN",
            name="1-ви пешадиски баталјон",
            kind=UnitKind.BATTALION,
            nation=mk,
            strength=600,
            language="mk",
            releasability_group="MKD-1",
            contact="Мајор Петровски\n+389 2 000 000",
        )
        company = Unit(
            code="MK-1BN-A",
            name="Чета „А“",
            kind=UnitKind.COMPANY,
            nation=mk,
            parent=battalion,
            strength=None,
            language=None,
            releasability_group=None,
            contact=None,
        )
        border = Unit(
            code="AL-RC-N",
            name="Qendra Rajonale Veri (Shkodër)",
            kind=UnitKind.REGIONAL_CENTRE,
            nation=al,
            strength=45,
            language="sq",
        )
        s.add_all([battalion, company, border])

        ana = Instructor(
            name="Ana Đurić",
            nation=gb,
            organisation="British Army",
            role=InstructorRole.INSTRUCTOR,
            languages=["en", "sr"],
            max_training_days=40,
            workload_period=WorkloadPeriod.QUARTER,
            releasable=False,
            contact="+44 20 0000",
        )
        elira = Instructor(
            name="Ëlira Çela",
            nation=al,
            organisation=None,
            role=InstructorRole.INTERPRETER,
            languages=["sq", "en", "mk"],
            max_training_days=None,
            workload_period=WorkloadPeriod.YEAR,
            releasable=True,
            contact=None,
        )
        goran = Instructor(
            name="Горан Стојановски",
            nation=None,
            role=InstructorRole.SUPPORT,
            languages=[],
            workload_period=WorkloadPeriod.MONTH,
        )
        s.add_all([ana, elira, goran])
        s.flush()
        s.add_all(
            [
                InstructorQualification(
                    instructor=ana,
                    qualification=cfa,
                    awarded_on=date(2025, 7, 1),
                    expires_on=date(2027, 6, 30),
                ),
                InstructorQualification(
                    instructor=ana, qualification=dfd, awarded_on=date(2024, 1, 15)
                ),
                InstructorQualification(
                    instructor=goran, qualification=cfa, expires_on=date(2028, 1, 31)
                ),
                InstructorQualification(instructor=elira, qualification=dfd),
            ]
        )
        s.add_all(
            [
                Unavailability(
                    instructor=ana,
                    start_date=date(2027, 8, 2),
                    end_date=date(2027, 8, 13),
                    kind=AbsenceKind.LEAVE,
                    reason="Summer leave",
                ),
                Unavailability(
                    instructor=ana,
                    start_date=date(2027, 10, 4),
                    end_date=date(2027, 10, 4),
                    kind=AbsenceKind.TRAVEL,
                    reason=None,
                ),
                Unavailability(
                    instructor=elira,
                    start_date=date(2027, 3, 1),
                    end_date=date(2027, 5, 31),
                    kind=AbsenceKind.DEPLOYMENT,
                    reason="-Operation abroad",
                ),
                Unavailability(
                    instructor=goran,
                    start_date=date(2027, 6, 7),
                    end_date=date(2027, 6, 11),
                    kind=AbsenceKind.TRAINING,
                    reason="Курс",
                ),
                Unavailability(
                    instructor=goran,
                    start_date=date(2027, 12, 24),
                    end_date=date(2027, 12, 31),
                    kind=AbsenceKind.OTHER,
                    reason="@home",
                ),
            ]
        )

        krivolak = Venue(
            name="Криволак — полигон",
            nation=mk,
            location="Неготино",
            capacity=200,
            facilities=["range", "vehicle park"],
            time_zone=None,
        )
        hotel = Venue(
            name="Hotel Vučko, Sarajevo",
            nation=nations["BA"],
            location=None,
            capacity=None,
            facilities=[],
            time_zone="Europe/Sarajevo",
        )
        s.add_all([krivolak, hotel])
        s.flush()
        s.add_all(
            [
                VenueClosure(
                    venue=krivolak,
                    start_date=date(2027, 7, 19),
                    end_date=date(2027, 7, 30),
                    reason="Range maintenance",
                ),
                VenueClosure(venue=hotel, start_date=date(2027, 1, 1), end_date=date(2027, 1, 2)),
                ClosureDay(day=date(2027, 11, 5), nation=mk, name="Стенд-даун"),
                ClosureDay(day=date(2027, 12, 27), nation=None, name="Cell stand-down"),
            ]
        )

        ready = CapabilityTarget(
            name="Light infantry battalion ready (NATO)",
            unit=battalion,
            due_date=date(2028, 6, 30),
            description="Evaluated at level 2.\nSelf-evaluation first.",
        )
        empty_target = CapabilityTarget(name="Border centre certified", unit=border)
        s.add_all([ready, empty_target])
        s.flush()
        s.add_all(
            [
                EvaluationMilestone(
                    target=ready, kind=MilestoneKind.SEL1, day=date(2027, 11, 15),
                    result=MilestoneResult.READY_WITH_COMMENTS, notes="=Two tasks to repeat",
                ),
                EvaluationMilestone(target=ready, kind=MilestoneKind.NEL2, day=date(2028, 5, 3)),
                EvaluationMilestone(
                    target=empty_target, kind=MilestoneKind.SEL2, day=date(2028, 1, 10),
                    result=MilestoneResult.NOT_READY,
                ),
                CollectiveTask(
                    target=ready, name="Одбрана на позиција", rating=TaskRating.NEEDS_PRACTICE,
                    rated_on=date(2027, 11, 15), rating_source="SEL1 November 2027",
                    courses=[basic, exercise],
                ),
                CollectiveTask(target=ready, name="Casualty evacuation", courses=[]),
                CollectiveTask(
                    target=empty_target, name="Kontrolla e pikës kufitare",
                    rating=TaskRating.TRAINED, courses=[advanced],
                ),
            ]
        )  # fmt: skip
        border_force = Provider(
            name="Home Office — Border Force",
            kind=ProviderKind.UK_GOVERNMENT,
            notes="-Document advisers",
        )
        croatia = Provider(name="Hrvatska vojska", kind=ProviderKind.NATION, nation=hr)
        s.add_all([border_force, croatia, Provider(name="EUFOR", kind=ProviderKind.EU)])
        s.flush()
        s.add_all(
            [
                TrainingRequirement(
                    target=ready, unit=battalion, course=basic, people=40, due_date=None
                ),
                TrainingRequirement(
                    target=ready,
                    unit=company,
                    course=advanced,
                    people=12,
                    due_date=date(2028, 3, 31),
                ),
            ]
        )

        single = TrainingEvent(
            ref="MK-2027-001",
            course=basic,
            venue=krivolak,
            start=datetime(2027, 3, 1, 8, 30),
            end=datetime(2027, 3, 3, 12, 0),
            status=EventStatus.DELIVERED,
            notes="=internal only",
            partner_remarks="+ bring ID cards; Донесете лична карта",
            attended=11,
            passed=10,
            outcome="Two retakes — Đurić to follow up.",
        )
        midnight = TrainingEvent(
            ref="MK-2027-002",
            course=advanced,
            venue=None,
            start=datetime(2027, 4, 5, 0, 0),
            end=datetime(2027, 4, 9, 0, 0),
            status=EventStatus.DRAFT,
            notes=LONG_NOTE.strip(),
            partner_remarks=None,
        )
        odd = TrainingEvent(
            ref="BA-2027-001",
            course=advanced,
            venue=hotel,
            start=datetime(2027, 5, 10, 9, 0, 30),
            end=datetime(2027, 5, 14, 16, 45),
            status=EventStatus.CANCELLED,
            outcome=None,
            provider=border_force,
            funding_line="Integrated Security Fund — WB",
        )
        field = TrainingEvent(
            ref="MK-2027-090",
            course=exercise,
            venue=krivolak,
            start=datetime(2027, 10, 11, 7, 0),
            end=datetime(2027, 10, 22, 17, 0),
            status=EventStatus.PLANNED,
            provider=croatia,
        )
        s.add_all([single, midnight, odd, field])
        s.flush()
        s.add_all(
            [
                EventAudience(event=field, unit=battalion, seats=0),
                EventCost(event=single, kind=CostKind.TRAVEL, planned=1250.5, actual=1302.75,
                          note="Flights LHR–SKP"),
                EventCost(event=single, kind=CostKind.ACCOMMODATION, planned=2400.0),
                EventCost(event=odd, kind=CostKind.INTERPRETERS, planned=900.0, actual=0.0,
                          note="=cancelled: fee only"),
                EventCost(event=field, kind=CostKind.KIT, planned=None, actual=None),
            ]
        )  # fmt: skip
        s.add_all(
            [
                EventAudience(event=single, unit=battalion, seats=8),
                EventAudience(event=single, unit=company, seats=4),
                EventAudience(event=odd, unit=border, seats=6),
                EventInstructor(event=single, instructor=ana, role=InstructorRole.INSTRUCTOR),
                EventInstructor(event=single, instructor=elira, role=InstructorRole.INTERPRETER),
                EventInstructor(event=single, instructor=goran, role=InstructorRole.INSTRUCTOR),
                EventInstructor(event=odd, instructor=elira, role=InstructorRole.INSTRUCTOR),
                EventInstructor(event=odd, instructor=ana, role=InstructorRole.SUPPORT),
            ]
        )

        series = EventSeries(
            rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=5",
            dtstart=datetime(2027, 9, 7, 9, 0),
            exdates=["2027-09-21T09:00:00", "2027-09-28"],
        )
        s.add(series)
        s.flush()
        for number, (start, end, recurrence, override, venue) in enumerate(
            [
                (
                    datetime(2027, 9, 7, 9),
                    datetime(2027, 9, 7, 13),
                    datetime(2027, 9, 7, 9),
                    False,
                    krivolak,
                ),
                (
                    datetime(2027, 9, 15, 10),
                    datetime(2027, 9, 15, 14),
                    datetime(2027, 9, 14, 9),
                    True,
                    krivolak,
                ),
                (
                    datetime(2027, 10, 5, 9),
                    datetime(2027, 10, 5, 13),
                    datetime(2027, 10, 5, 9),
                    True,
                    None,
                ),
            ],
            start=3,
        ):
            event = TrainingEvent(
                ref=f"MK-2027-{number:03d}",
                course=basic,
                venue=venue,
                start=start,
                end=end,
                status=EventStatus.CONFIRMED,
                series=series,
                recurrence_id=recurrence,
                is_override=override,
            )
            s.add(event)
            s.flush()
            s.add(EventAudience(event=event, unit=company, seats=10))
            s.add(EventInstructor(event=event, instructor=ana, role=InstructorRole.INSTRUCTOR))
        s.flush()

        s.add(
            ConflictAcceptance(
                rule="venue_closed",
                conflict_key=f"venue_closed|{krivolak.uuid}|{single.uuid}|2027-03-01",
                event_uuids=[single.uuid],
                fingerprint="0" * 64,
                reason="Range closed; the course uses the classroom block — Đurić",
                accepted_by="anna@cell",
                accepted_at=datetime(2027, 2, 1, 10, 15, 0),
            )
        )
        s.add(
            Release(
                partner_code="MK",
                released_at=datetime(2027, 2, 2, 14, 30, 5),
                released_by="anna@cell",
                period_start=date(2027, 1, 1),
                period_end=date(2027, 12, 31),
                file_name="MK schedule 2027.xlsx",
                file_hash="a" * 64,
                marking="OFFICIAL-SENSITIVE RELEASABLE TO MKD",
                snapshot=[
                    {
                        "uuid": single.uuid,
                        "ref": "MK-2027-001",
                        "course": "FA-1",
                        "title": "Прва помош — основна",
                        "start": "2027-03-01T08:30",
                        "end": "2027-03-03T12:00",
                        "status": "planned",
                        "venue": "Криволак — полигон",
                    },
                    {
                        "uuid": midnight.uuid,
                        "ref": "MK-2027-002",
                        "course": "FA-2",
                        "title": "=Advanced first aid",
                        "start": "2027-04-05T00:00",
                        "end": "2027-04-09T00:00",
                        "status": "draft",
                        "venue": "",
                    },
                ],
            )
        )
        s.add(
            Release(
                partner_code="AL-RC-N",
                released_at=datetime(2027, 2, 3, 9, 0),
                released_by="Ђорђе@cell",
                period_start=None,
                period_end=None,
                file_name="AL.xlsx",
                file_hash="b" * 64,
                marking="OFFICIAL",
                snapshot=[],
            )
        )
        # Two people share a name (told apart by service number); one moved unit.
        gjorgji = Trainee(
            name="Ѓорѓи Трајковски",
            name_latin="Gjorgji Trajkovski",
            rank="поручник",
            nation=mk,
            service_number="MK-0042",
            languages=["mk", "en"],
            postings=[
                TraineePosting(unit=company, date_from=date(2024, 9, 1), date_to=date(2027, 3, 1)),
                TraineePosting(unit=battalion, date_from=date(2027, 3, 1), date_to=None),
            ],
        )
        namesake = Trainee(
            name="Ѓорѓи Трајковски",
            name_latin=None,
            rank=None,
            nation=mk,
            service_number="MK-0777",
            languages=[],
            postings=[TraineePosting(unit=company, date_from=None, date_to=None)],
        )
        # Two more of one name and nation, neither with a service number: only
        # their UIDs tell them apart (as the editor allows).
        twins = [
            Trainee(name="Arben Krasniqi", nation=al, languages=[], rank=rank)
            for rank in ("toger", "kapter")
        ]
        s.add_all(twins)
        dritan = Trainee(
            name="Dritan Hoxha",
            name_latin="Dritan Hoxha",
            rank="toger",
            nation=al,
            service_number=None,
            languages=["sq"],
            postings=[],
        )
        s.add_all([gjorgji, namesake, dritan])
        s.flush()
        sent_to_mk = s.scalars(select(Release).where(Release.partner_code == "MK")).one()
        sent_to_mk.names_sent = sorted([gjorgji.uuid, namesake.uuid])
        s.add_all(
            [
                Enrolment(
                    event=single,
                    trainee=gjorgji,
                    status=EnrolmentStatus.PASSED,
                    result_date=date(2027, 3, 3),
                    certificate_serial="TS-2027-0001",
                    remarks="=top of the course",
                ),
                Enrolment(event=single, trainee=namesake, status=EnrolmentStatus.NO_SHOW),
                Enrolment(
                    event=odd,
                    trainee=dritan,
                    status=EnrolmentStatus.FAILED,
                    result_date=date(2027, 5, 14),
                    remarks="Retake — shqip",
                ),
                Enrolment(event=midnight, trainee=gjorgji, status=EnrolmentStatus.NOMINATED),
                Enrolment(event=odd, trainee=twins[0], status=EnrolmentStatus.CONFIRMED),
                Enrolment(event=odd, trainee=twins[1], status=EnrolmentStatus.WITHDRAWN),
                PartnerResponse(
                    event=single,
                    partner_code="MK",
                    confirmed_seats=11,
                    remarks="=Потврдено; two more if the range opens",
                    received_at=datetime(2027, 2, 10, 11, 5, 0),
                ),
                PartnerResponse(event=odd, partner_code="AL-RC-N"),
            ]
        )
    return path
