"""Registering the community directory, on the in-memory unit of work (no database, no nameko)."""

import pytest

from services.meetings import commands
from services.meetings.handlers import directory
from services.meetings.models import Community, Compound, District, Party
from shared.errors import NotFound
from shared.identity import PartyType
from tests.fakes import FakeUnitOfWork


def test_a_district_community_and_compound_come_with_their_parties():
    uow = FakeUnitOfWork()
    district = directory.register_district(
        uow, commands.RegisterDistrict(name="Jiefang", office_name="Office")
    )
    community = directory.register_community(
        uow,
        commands.RegisterCommunity(district_id=district["district_id"], name="Heping", committee_name="RC"),
    )
    compound = directory.register_compound(
        uow,
        commands.RegisterCompound(
            community_id=community["community_id"],
            name="Garden",
            owners_committee_name="Owners",
            property_company_name="Property",
        ),
    )
    unit = directory.register_joint_building_unit(
        uow, commands.RegisterJointBuildingUnit(community_id=community["community_id"], name="Hospital")
    )
    assert uow.committed == 4
    assert [d.name for d in uow.all(District)] == ["Jiefang"]
    assert uow.get(Community, community["community_id"]).district_id == district["district_id"]
    assert uow.get(Compound, compound["compound_id"]).community_id == community["community_id"]
    parties = {p.id: p for p in uow.all(Party)}
    office = parties[district["office_id"]]
    assert (office.type, office.district_id, office.community_id) == (
        PartyType.STREET_OFFICE.value,
        district["district_id"],
        None,
    )
    committee = parties[community["committee_id"]]
    assert (committee.type, committee.community_id) == (
        PartyType.RESIDENTS_COMMITTEE.value,
        community["community_id"],
    )
    for key, party_type in (
        ("owners_committee_id", PartyType.OWNERS_COMMITTEE),
        ("property_company_id", PartyType.PROPERTY_COMPANY),
    ):
        party = parties[compound[key]]
        assert (party.type, party.district_id, party.community_id, party.compound_id) == (
            party_type.value,
            district["district_id"],
            community["community_id"],
            compound["compound_id"],
        )
    assert (unit.type, unit.district_id, unit.compound_id) == (
        PartyType.JOINT_BUILDING_UNIT.value,
        district["district_id"],
        None,
    )
    assert uow.events == []  # the directory announces nothing


@pytest.mark.parametrize(
    ("register", "command", "field"),
    [
        (
            directory.register_community,
            commands.RegisterCommunity(district_id="nowhere", name="C", committee_name="RC"),
            "district_id",
        ),
        (
            directory.register_compound,
            commands.RegisterCompound(
                community_id="nowhere", name="K", owners_committee_name="O", property_company_name="P"
            ),
            "community_id",
        ),
        (
            directory.register_joint_building_unit,
            commands.RegisterJointBuildingUnit(community_id="nowhere", name="U"),
            "community_id",
        ),
    ],
)
def test_a_place_under_an_unknown_parent_is_refused_naming_the_parent(register, command, field):
    uow = FakeUnitOfWork()
    with pytest.raises(NotFound) as raised:
        register(uow, command)
    assert raised.value.field == field
    assert uow.committed == 0 and not any(uow.records.values())
