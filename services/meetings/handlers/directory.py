"""The community directory: districts, communities, compounds and their parties.

Operators register places and parties (deploy/ commands); every signed-in party may read names.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.meetings import commands
from services.meetings.models import Community, Compound, District, Party
from shared.clock import Clock
from shared.db import UnitOfWork, new_id
from shared.errors import InvalidInput, NotFound
from shared.identity import PartyType, Principal
from shared.paging import Listing, Page, PageRequest, asc, equals, page_of
from shared.vocabulary.meetings import ErrorCode


def register_district(uow: UnitOfWork, command: commands.RegisterDistrict) -> dict:
    with uow:
        district = District(id=new_id(), name=command.name)
        office = Party(
            id=new_id(), type=PartyType.STREET_OFFICE.value, name=command.office_name, district_id=district.id
        )
        uow.add(district)
        uow.flush()  # the office names its district: the district is written first
        uow.add(office)
        uow.commit()
        return {"district_id": district.id, "office_id": office.id}


def register_community(uow: UnitOfWork, command: commands.RegisterCommunity) -> dict:
    with uow:
        if uow.get(District, command.district_id) is None:
            raise NotFound("no such district", field="district_id")
        community = Community(id=new_id(), district_id=command.district_id, name=command.name)
        committee = Party(
            id=new_id(),
            type=PartyType.RESIDENTS_COMMITTEE.value,
            name=command.committee_name,
            district_id=community.district_id,
            community_id=community.id,
        )
        uow.add(community)
        uow.flush()
        uow.add(committee)
        uow.commit()
        return {"community_id": community.id, "committee_id": committee.id}


def register_compound(uow: UnitOfWork, command: commands.RegisterCompound) -> dict:
    with uow:
        community = uow.get(Community, command.community_id)
        if community is None:
            raise NotFound("no such community", field="community_id")
        compound = Compound(id=new_id(), community_id=community.id, name=command.name)
        uow.add(compound)
        uow.flush()
        parties = [
            Party(
                id=new_id(),
                type=party_type.value,
                name=name,
                district_id=community.district_id,
                community_id=community.id,
                compound_id=compound.id,
            )
            for party_type, name in (
                (PartyType.OWNERS_COMMITTEE, command.owners_committee_name),
                (PartyType.PROPERTY_COMPANY, command.property_company_name),
            )
        ]
        for party in parties:
            uow.add(party)
        uow.commit()
        return {
            "compound_id": compound.id,
            "owners_committee_id": parties[0].id,
            "property_company_id": parties[1].id,
        }


def register_joint_building_unit(uow: UnitOfWork, command: commands.RegisterJointBuildingUnit) -> Party:
    """A hospital, school or firm that builds the community together with its parties."""
    with uow:
        community = uow.get(Community, command.community_id)
        if community is None:
            raise NotFound("no such community", field="community_id")
        unit = Party(
            id=new_id(),
            type=PartyType.JOINT_BUILDING_UNIT.value,
            name=command.name,
            district_id=community.district_id,
            community_id=community.id,
        )
        uow.add(unit)
        uow.commit()
        return unit


# Reading names ----------------------------------------------------------------------------------


def get_parties(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[Party]:
    """Names in the directory are public to every signed-in party."""
    with uow:
        return list(uow.session.scalars(select(Party).where(Party.id.in_(ids))))


PARTIES = Listing(
    id=Party.id,
    orders={"name": [asc(Party.name)]},
    default_order="name",
    filters={
        "type": equals(Party.type),
        "community_id": equals(Party.community_id),
        "compound_id": equals(Party.compound_id),
    },
)


def list_parties(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """The parties of the principal's district, by name: whom a convener may invite to a meeting."""
    with uow:
        query = select(Party).where(Party.district_id == principal.district_id)
        return page_of(uow.session, query, page, PARTIES)


def get_places(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list:
    """Districts, communities and compounds by id, for names in views."""
    with uow:
        found: list = []
        for model in (District, Community, Compound):
            found.extend(uow.session.scalars(select(model).where(model.id.in_(ids))))
        return found


def _place_listing(model: Any) -> Listing:
    return Listing(id=model.id, orders={"name": [asc(model.name)]}, default_order="name")


DISTRICTS = _place_listing(District)
COMMUNITIES = _place_listing(Community)
COMPOUNDS = _place_listing(Compound)


def list_districts(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """Every sub-district, by name: their names are public to every signed-in party."""
    with uow:
        return page_of(uow.session, select(District), page, DISTRICTS)


def list_communities(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """The communities of the principal's district, by name."""
    with uow:
        query = select(Community).where(Community.district_id == principal.district_id)
        return page_of(uow.session, query, page, COMMUNITIES)


def list_compounds(uow: UnitOfWork, clock: Clock, principal: Principal, page: PageRequest) -> Page:
    """The compounds of the principal's community (of its district, for the office), by name."""
    with uow:
        query = select(Compound).join(Community, Community.id == Compound.community_id)
        if principal.is_a(PartyType.STREET_OFFICE):
            query = query.where(Community.district_id == principal.district_id)
        else:
            query = query.where(Compound.community_id == principal.community_id)
        return page_of(uow.session, query, page, COMPOUNDS)


def get_communities(uow: UnitOfWork, ids: list[str]) -> list[Community]:
    """Communities by id, with the district each lies in; an id of no community is left out."""
    with uow:
        return list(uow.session.scalars(select(Community).where(Community.id.in_(ids))))


DIRECTORY_KINDS: dict[str, Any] = {
    "party": Party,
    "district": District,
    "community": Community,
    "compound": Compound,
}


def find_in_directory(uow: UnitOfWork, kind: str, criteria: dict) -> list[dict]:
    """Operators' commands: the parties or places whose columns equal ``criteria`` (an id, or a name
    with its parent's id), with where each belongs. At most ten."""
    model = DIRECTORY_KINDS.get(kind)
    if model is None:
        message = f"one of {sorted(DIRECTORY_KINDS)}"
        raise InvalidInput([{"field": "kind", "code": ErrorCode.INVALID, "message": message}])
    columns = model.__table__.columns
    unknown = sorted(set(criteria) - set(columns.keys()))
    if unknown or not criteria:
        message = f"look a {kind} up by some of {', '.join(columns.keys())}"
        raise InvalidInput([{"field": "criteria", "code": ErrorCode.INVALID, "message": message}])
    with uow:
        query = select(model).where(*(columns[k] == v for k, v in criteria.items())).order_by(model.id)
        records = list(uow.session.scalars(query.limit(10)))
        # The compounds' communities in one query, not one per compound.
        parents = {
            c.id: c
            for c in uow.session.scalars(
                select(Community).where(Community.id.in_([getattr(r, "community_id", None) for r in records]))
            )
        }
        return [_where_it_belongs(kind, record, parents) for record in records]


def _where_it_belongs(kind: str, record: Any, communities: dict[str, Community]) -> dict:
    row: dict = {"kind": kind, "id": record.id, "name": record.name}
    if kind == "party":
        row.update(
            type=record.type,
            district_id=record.district_id,
            community_id=record.community_id,
            compound_id=record.compound_id,
        )
    elif kind == "community":
        row.update(district_id=record.district_id, community_id=record.id)
    elif kind == "compound":
        community = communities[record.community_id]
        row.update(district_id=community.district_id, community_id=community.id, compound_id=record.id)
    else:
        row.update(district_id=record.id)
    return row
