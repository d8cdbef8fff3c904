"""The rooming list of a delegation, for the hotel: confirmed delegates grouped into rooms from their answers.

Three questions, found by their code: ``hotel`` (optional: without it everyone is in one, unnamed hotel),
``room_type`` and ``roommate``. A room type whose value is in ``SHARED_ROOM_TYPES`` is for two people;
any other value is one person per room. Two delegates share a room when each names the other (the text
compared case- and space-insensitively with the registered name or the name in the passport) and both
asked for the same shared room type in the same hotel; every other shared-room request is "to pair".
``rooming_table`` is the one table behind the page, the CSV, the XLSX and the PDF.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from registrations.models import Delegation, Registration
from registrations.models.questions import Answer, Question
from registrations.models.travel import TravelDocument

CODES = ("hotel", "room_type", "roommate")
SHARED_ROOM_TYPES = ("twin", "double", "shared")


@dataclass(frozen=True)
class Occupant:
    registration_id: int
    full_name: str
    passport_name: str  # "" when the viewer may not see passport names, or none was entered
    company: str
    roommate: str  # the requested roommate as typed ("" when none)


@dataclass(frozen=True)
class Room:
    hotel: str  # the hotel's label ("" when the delegation asks no hotel question or it was not answered)
    room_type: str  # the room type's label ("" when not answered)
    occupants: tuple[Occupant, ...]
    note: str = ""  # why a shared-room request is still to pair


@dataclass(frozen=True)
class RoomCount:
    hotel: str
    room_type: str
    rooms: int
    people: int


@dataclass(frozen=True)
class RoomingList:
    rooms: list[Room]  # singles and mutually paired shared rooms, by hotel, room type, names
    to_pair: list[Room]  # one occupant each: a shared-room request without a mutual roommate
    no_room_type: list[Room]  # confirmed delegates who have not chosen a room type
    read: list[int]  # registration ids whose travel documents were decrypted
    with_passport_names: bool

    def counts(self) -> list[RoomCount]:
        """Rooms and people per hotel and room type (paired and single rooms only)."""
        counts: dict[tuple[str, str], list[int]] = {}
        for room in self.rooms:
            entry = counts.setdefault((room.hotel, room.room_type), [0, 0])
            entry[0] += 1
            entry[1] += len(room.occupants)
        return [RoomCount(hotel=hotel, room_type=kind, rooms=rooms, people=people) for (hotel, kind), (rooms, people) in counts.items()]


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _choice_order(question: Question | None) -> dict[str, tuple[int, str]]:
    if question is None:
        return {}
    return {choice.value: (number, choice.label) for number, choice in enumerate(question.choice_list())}


def _pair_note(person: Occupant, named: Occupant | None, names_back: bool) -> str:
    if not person.roommate:
        return _("No roommate named")
    if named is None:
        return _("“%(text)s” is not the name of a confirmed delegate") % {"text": person.roommate}
    if not names_back:
        return _("%(name)s has not named them back") % {"name": named.full_name}
    return _("%(name)s chose another hotel or room type") % {"name": named.full_name}


def rooming_list(*, delegation: Delegation, with_passport_names: bool) -> RoomingList:
    """The delegation's confirmed delegates in rooms; passport names are read for pairing and shown only ``with_passport_names``."""
    people = list(Registration.objects.filter(delegation=delegation, status=Registration.Status.CONFIRMED).order_by("full_name", "pk"))
    questions = {q.code: q for q in Question.objects.filter(delegation=delegation, code__in=CODES)}
    answers: dict[tuple[int, str], str] = {
        (registration_id, code): value
        for registration_id, code, value in Answer.objects.filter(registration__in=people, question__in=questions.values()).values_list(
            "registration_id", "question__code", "value"
        )
    }
    documents = {d.registration_id: d.details for d in TravelDocument.objects.filter(registration__in=people).exclude(data="")}
    passport = {pk: (details.get("passport_name") or "").strip() for pk, details in documents.items()}
    hotels, kinds = _choice_order(questions.get("hotel")), _choice_order(questions.get("room_type"))
    far = (len(hotels) + len(kinds) + 1, "")

    occupants = {
        p.pk: Occupant(
            registration_id=p.pk,
            full_name=p.full_name,
            company=p.company,
            passport_name=passport.get(p.pk, "") if with_passport_names else "",
            roommate=answers.get((p.pk, "roommate"), "").strip(),
        )
        for p in people
    }
    hotel_of = {pk: answers.get((pk, "hotel"), "") for pk in occupants}
    kind_of = {pk: answers.get((pk, "room_type"), "") for pk in occupants}
    by_name: dict[str, list[int]] = {}
    for pk, occupant in occupants.items():
        for name in {_normal(occupant.full_name), _normal(passport.get(pk, ""))} - {""}:
            by_name.setdefault(name, []).append(pk)

    def named_by(pk: int) -> int | None:
        """The one other confirmed delegate whose registered or passport name is the roommate text (None: nobody, or ambiguous)."""
        found = [other for other in by_name.get(_normal(occupants[pk].roommate), []) if other != pk]
        return found[0] if len(set(found)) == 1 else None

    def room(pks: list[int], note: str = "") -> Room:
        return Room(
            hotel=hotels.get(hotel_of[pks[0]], far)[1],
            room_type=kinds.get(kind_of[pks[0]], far)[1],
            occupants=tuple(occupants[pk] for pk in pks),
            note=note,
        )

    def order(pks: list[int]) -> tuple:
        first = occupants[pks[0]]
        return (hotels.get(hotel_of[pks[0]], far)[0], kinds.get(kind_of[pks[0]], far)[0], first.full_name, first.registration_id)

    placed, to_pair, without = [], [], []
    for pk in occupants:
        kind = kind_of[pk]
        if not kind:
            without.append([pk])
        elif kind not in SHARED_ROOM_TYPES:
            placed.append([pk])
        else:
            other = named_by(pk)
            names_back = other is not None and named_by(other) == pk
            if names_back and kind_of[other] == kind and hotel_of[other] == hotel_of[pk]:
                if pk < other:  # the pair once, from its lower id
                    placed.append(sorted([pk, other], key=lambda key: (occupants[key].full_name, key)))
            else:
                to_pair.append(([pk], _pair_note(occupants[pk], occupants.get(other) if other else None, names_back)))
    return RoomingList(
        rooms=[room(pks) for pks in sorted(placed, key=order)],
        to_pair=[room(pks, note) for pks, note in sorted(to_pair, key=lambda entry: order(entry[0]))],
        no_room_type=[room(pks, _("No room type chosen")) for pks in sorted(without, key=order)],
        read=sorted(documents),
        with_passport_names=with_passport_names,
    )


def rooming_table(rooming: RoomingList) -> tuple[list[str], list[list]]:
    """Header and rows: one row per room (hotel, room type, occupant 1, occupant 2), then those to pair, then those without a room type."""
    header = [_("Hotel"), _("Room type")]
    for number in (1, 2):
        header += [_("Occupant %(number)d") % {"number": number}]
        if rooming.with_passport_names:
            header += [_("Name in passport (%(number)d)") % {"number": number}]
        header += [_("Company (%(number)d)") % {"number": number}]
    header.append(_("Note"))
    rows = []
    for room in [*rooming.rooms, *rooming.to_pair, *rooming.no_room_type]:
        row = [room.hotel, room.room_type]
        for occupant in (*room.occupants, None)[:2]:
            cells = [occupant.full_name, occupant.passport_name, occupant.company] if occupant else ["", "", ""]
            row += cells if rooming.with_passport_names else [cells[0], cells[2]]
        rows.append([*row, room.note])
    return header, rows
