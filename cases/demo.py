"""A year of members' enquiries, concerns and positive examples for the demo council
(DESIGN §2–§6).

``manage.py seed_demo`` calls :func:`build_demo_enquiries` once people.demo has built
the council. Like people.demo it works in two steps:

1. :func:`plan_demo_enquiries` draws every enquiry and everything that happens to it
   from the council's plan and ``random.Random(2026)``, without reading the database.
   Moments are counted in working days before today, so the plan is the same whatever
   the date; only the calendar dates it lands on move with today.
2. :func:`build_demo_enquiries` puts those days on the council's calendar and drives
   each enquiry through ``cases.services`` with ``now=`` in the past, so timelines,
   notifications and permissions are exactly what the portal itself writes. A step
   that would fall today or later has not happened yet: that is how the open
   enquiries (awaiting an answer, overdue, on hold, disputed, reopened) arise.

It builds only on a database without enquiries, so running it again changes nothing.
Every constituent, street and school is invented.

:func:`build_demo_concerns` does the same for concerns about member-officer conduct, the
sanctions they led to and examples of good working (see "Concerns" below).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from cases.briefings.models import Briefing, BriefingOffer
from cases.concerns import services as concern_services
from cases.concerns.deadlines import ConcernSweep
from cases.concerns.models import Behaviour, Concern, ConcernState, ExternalReferral, InformalAction, Sanction
from cases.enquiries import services
from cases.enquiries.models import ConsentRecord, Dispute, Enquiry, EnquiryState, Marking, Purpose
from cases.notices import services as notice_services
from cases.notices.models import WardNotice, WardNoticeKind
from cases.positive import services as positive_services
from cases.positive.models import PositiveExample, PositiveExampleState
from cases.shared import notifications
from cases.shared import references as shared_references
from cases.shared.models import Notification
from escalation.calendar import WorkingDayCalendar, council_calendar, local_date
from escalation.sweep import sweep
from people import demo as council
from people.models import Committee, ContactProhibition, Member, PoliticalGroup, Service, Ward
from people.selectors import head_of_paid_service, monitoring_officer

SEED = 2026
# About twelve months of working days: enquiries are filed up to this many working days ago.
YEAR = 250
# Enquiries drawn at random on top of the scripted stories below.
RANDOM_ENQUIRIES = 420
# Only answers given this many working days ago or fewer are reopened. A member may reopen
# within five working days of the answer, but the reopen transition's condition checks that
# against the real clock, not the service's ``now=``, so an older answer cannot be reopened
# in the past.
REOPENABLE = 4
# Office hours, in minutes after midnight: members file and officers respond in them.
OPENS, CLOSES = 8 * 60 + 30, 17 * 60 + 15


class Action(StrEnum):
    REASSIGN = "reassign"
    HOLD = "hold"
    CONSENT = "consent"
    ANSWER = "answer"
    DECLINE = "decline"
    DISPUTE = "dispute"
    UPHOLD = "uphold"
    DIRECT = "direct"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    CLOSE = "close"


# --- What members ask about ------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    key: str
    service: str
    purpose: str
    subject: str
    details: str
    answer: str


CASEWORK, INFORMATION, DECISION, COMMITTEE = Purpose.CASEWORK, Purpose.INFORMATION, Purpose.DECISION, Purpose.COMMITTEE

# Placeholders: {resident} (a constituent, "Mrs Patel"), {street}, {street2}, {number},
# {ward} (the member's ward), {school}, {park}.
TOPICS = [
    # Highways and Transport: the demo service of officer, liaison and head.
    Topic(
        "pothole", "Highways and Transport", CASEWORK,
        "Pothole outside {number} {street}",
        "{resident} of {street} has reported a deep pothole in the road outside number {number}. Two neighbours "
        "have had tyres damaged and cyclists are swerving into the traffic to avoid it. Could it be inspected and "
        "made safe, and could you tell me when a permanent repair will be done?",
        "A Highways Inspector visited and recorded the pothole as a Category 1 defect (more than 40mm deep). It was "
        "made safe with a temporary repair within 24 hours, and a permanent patch repair on {street} is in the "
        "programme for the next four weeks. Residents whose vehicles were damaged can claim through the council's "
        "website; each claim is assessed against our inspection records.",
    ),
    Topic(
        "streetlight", "Highways and Transport", CASEWORK,
        "Street lights out on {street}",
        "Residents of {street} tell me that three street lights near the junction with {street2} have been out for "
        "more than two weeks. {resident}, who walks home from a late shift, says the stretch is completely dark. "
        "Could the repair be treated as a priority?",
        "Our street lighting contractor traced the fault to a damaged underground cable feeding the three columns. "
        "A temporary supply has been connected and the lights are working again. The cable will be replaced "
        "permanently, which needs a short road closure; residents will be told by letter beforehand.",
    ),
    Topic(
        "resurfacing", "Highways and Transport", INFORMATION,
        "Resurfacing programme for {ward}",
        "Could you tell me which roads and footways in {ward} are in this year's resurfacing programme, and how "
        "roads are prioritised for it? Residents of {street} have asked why their road is not included.",
        "This year's programme for {ward} includes carriageway resurfacing on {street2} and footway reconstruction "
        "on part of {street}. Roads are ranked by condition surveys, collision records and how heavily they are "
        "used; the full scored list is on the council's website. {street} scored just below the threshold this "
        "year and is near the top of the reserve list.",
    ),
    Topic(
        "dropped_kerb", "Highways and Transport", CASEWORK,
        "Dropped kerb for a resident of {street}",
        "{resident} of {street} uses a mobility scooter and cannot get safely from the pavement to the crossing "
        "point at the end of the road. Could the council assess the location for a dropped kerb?",
        "An officer has assessed the crossing point and it meets the criteria for a pedestrian dropped kerb. It has "
        "been added to the accessibility programme and should be built within three months. We have written to "
        "{resident} to explain the timescale.",
    ),
    Topic(
        "speed_limit", "Highways and Transport", DECISION,
        "Proposed 20mph zone around {school}",
        "Parents have asked me to support a 20mph zone around {school}. Before I decide whether to back the "
        "proposal, could officers share the recent speed survey results and the collision record for the roads "
        "around the school over the last five years?",
        "Speed surveys outside {school} last term recorded an average speed of 27mph, with 85% of drivers at or "
        "below 31mph. There have been four recorded injury collisions within 500 metres of the school in five "
        "years, one of them serious. The Road Safety team recommends a 20mph zone with school-time signs; it will "
        "go to the Cabinet Member for a decision next quarter.",
    ),
    Topic(
        "verge_parking", "Highways and Transport", CASEWORK,
        "Parking on verges and pavements in {street}",
        "Residents of {street} complain that cars are parked on the grass verges and across the pavement every "
        "evening, so wheelchair users and people with pushchairs have to walk in the road. {resident} has "
        "photographs. What enforcement can the council take?",
        "Civil Enforcement Officers will patrol {street} in the evenings over the next month and can ticket "
        "vehicles that obstruct the footway under the existing restrictions. We are also assessing the verges for "
        "a Traffic Regulation Order to prohibit verge parking, which would be formally consulted on.",
    ),
    Topic(
        "gritting", "Highways and Transport", INFORMATION,
        "Winter gritting routes in {ward}",
        "Which roads in {ward} are on the priority gritting network, and could {street}, which is steep and on a "
        "bus route, be added?",
        "The priority network in {ward} covers all A and B roads, bus routes and the approaches to {school}. "
        "Because a bus uses {street}, it will be added to the priority network from this winter, and a grit bin "
        "will be placed at the top of the hill.",
    ),
    Topic(
        "highways_backlog", "Highways and Transport", COMMITTEE,
        "Highways maintenance backlog figures for scrutiny",
        "Ahead of the Overview and Scrutiny Committee, could you give me the current highways maintenance backlog, "
        "the number of Category 1 defects outstanding and the average time taken to make them safe against the "
        "target?",
        "The backlog to bring every road to a good standard is estimated at £38.4 million. At the end of last month "
        "112 Category 1 defects were outstanding, and the average time to make one safe was 21 hours against a "
        "target of 24. A briefing note with the figures by ward has gone to the committee clerk for the agenda.",
    ),
    Topic(
        "bus_stop", "Highways and Transport", CASEWORK,
        "Broken paving at the bus stop on {street}",
        "{resident} tripped on broken paving slabs at the bus stop on {street} and was lucky not to be badly hurt. "
        "Several slabs are loose and rocking. Please can the footway be made safe?",
        "An inspector found three rocking slabs and a trip hazard of more than 20mm. The footway was made safe the "
        "next day and the slabs have now been relaid. If {resident} wishes to make a personal injury claim, the "
        "Insurance team can send the form.",
    ),
    Topic(
        "residents_parking", "Highways and Transport", INFORMATION,
        "Residents' parking scheme for {street}",
        "Residents of {street} are struggling to park because commuters use the road to reach the station. How "
        "would they ask for a residents' parking scheme, and what would a permit cost?",
        "A scheme needs the support of most households on the street in an informal survey, which the Parking team "
        "runs once the ward councillors ask for it. Permits cost £62 a year for a first vehicle. The team will "
        "contact you to arrange the survey for {street}.",
    ),
    # Waste and Recycling
    Topic(
        "missed_bins", "Waste and Recycling", CASEWORK,
        "Repeated missed bin collections on {street}",
        "{resident} of {street} tells me the recycling bin has been missed four times in the last two months, and "
        "several neighbours report the same. What is causing this and how will it be put right?",
        "The crew could not get the vehicle into {street} because of parked cars on collection day. The round has "
        "been re-sequenced so {street} is collected earlier in the morning, and the Round Supervisor checked the "
        "last two collections. {resident}'s address is flagged on the crew's in-cab system for the next eight "
        "weeks.",
    ),
    Topic(
        "fly_tipping", "Waste and Recycling", CASEWORK,
        "Fly-tipping in the alley behind {street}",
        "Mattresses, builders' rubble and black bags have been dumped in the alley behind {street} and are "
        "attracting rats. {resident} says this is the third time this year. Could it be cleared, and could the "
        "council look at enforcement or a camera?",
        "The waste was cleared within two working days. Environmental Enforcement Officers searched it and found "
        "evidence pointing to a possible source, which is being investigated and may lead to a fixed penalty or a "
        "prosecution. The alley is now on the list of hotspots for a deployable CCTV camera.",
    ),
    Topic(
        "garden_waste", "Waste and Recycling", INFORMATION,
        "Garden waste subscription charges",
        "Residents are asking why the garden waste subscription has gone up this year. Could you tell me the new "
        "charge, how many households subscribe, and whether there is any concession for people on low incomes?",
        "The charge is £52 a year, up from £48, because of higher fuel and disposal costs. About 41,000 households "
        "subscribe. There is no concession at present; one will be considered in next year's fees and charges "
        "report.",
    ),
    Topic(
        "assisted_collection", "Waste and Recycling", CASEWORK,
        "Assisted bin collection for a resident of {street}",
        "{resident} of {street} has recently had hip surgery and cannot wheel the bins to the kerb. Can the council "
        "arrange an assisted collection?",
        "An assisted collection starts next week: the crew will collect the bins from the front garden and return "
        "them. We will review it in twelve months, or sooner if {resident}'s circumstances change.",
    ),
    Topic(
        "litter_bins", "Waste and Recycling", CASEWORK,
        "Overflowing litter bins at the shops on {street}",
        "The litter bins outside the parade of shops on {street} are overflowing by the afternoon, especially at "
        "weekends. Could they be emptied more often, or larger bins put in?",
        "The bins on {street} are now emptied daily, weekends included, instead of weekly, and two larger bins will "
        "be fitted this month. The Street Scene Officer will review the situation after six weeks.",
    ),
    # Parks and Green Spaces (no liaison officer: enquiries go to the Head of Service)
    Topic(
        "play_equipment", "Parks and Green Spaces", CASEWORK,
        "Broken play equipment in {park}",
        "Parents tell me the climbing frame and one of the swings in {park} have been taped off for over a month. "
        "When will they be repaired?",
        "The climbing frame failed its annual safety inspection because of a cracked support post. The replacement "
        "part is on order and the frame will reopen within three weeks; the swing seat was replaced last week.",
    ),
    Topic(
        "tree_felling", "Parks and Green Spaces", INFORMATION,
        "Trees marked for felling in {park}",
        "Residents are upset that trees in {park} have been marked for felling. How many are to be removed, why, "
        "and will they be replaced?",
        "Seven ash trees are to be felled because they have advanced ash dieback and stand next to a footpath. "
        "Twenty-one native trees of mixed species will be planted in the coming planting season, and the "
        "arboricultural report is available on request.",
    ),
    Topic(
        "overhanging_tree", "Parks and Green Spaces", CASEWORK,
        "Council tree overhanging a garden on {street}",
        "A large tree on council land behind {street} overhangs {resident}'s garden, blocks the light, and dropped "
        "branches in the last storm. Could it be inspected and pruned?",
        "The Arboricultural Officer found the tree healthy but with two broken hanging limbs, which have been "
        "removed. The council does not reduce healthy trees to restore light, but {resident} may cut overhanging "
        "branches back to the boundary.",
    ),
    Topic(
        "allotments", "Parks and Green Spaces", INFORMATION,
        "Allotment waiting list in {ward}",
        "How long is the waiting list for allotments in {ward}, and are there plans for more plots?",
        "Sixty-four people are waiting for a plot on the two sites in {ward}; the average wait is about two years. "
        "Large plots are being halved as they fall vacant, which will add about twelve plots over the next year.",
    ),
    # Planning and Building Control
    Topic(
        "planning_application", "Planning and Building Control", CASEWORK,
        "Planning application for an extension at {number} {street}",
        "{resident} lives next door to {number} {street}, where a two-storey extension has been applied for, and is "
        "worried about loss of light. What is the status of the application, when does the consultation close, "
        "and will it go to the Planning Committee?",
        "A planning officer is assessing the application; the neighbour consultation closes in ten days and "
        "{resident}'s objection has been logged. It will be decided under delegated powers unless a councillor asks, "
        "with planning reasons, before the consultation closes for it to go to the Planning Committee.",
    ),
    Topic(
        "enforcement", "Planning and Building Control", CASEWORK,
        "Suspected breach of planning control on {street}",
        "{resident} reports that a garage on {street} is being used for car repairs late into the evening, with "
        "noise and cars parked on the pavement. Does the business have planning permission, and can the council "
        "investigate?",
        "There is no planning permission for a commercial use of the garage. A Planning Enforcement Officer visited "
        "and has written to the owner requiring the use to stop within 28 days; if it does not, the council will "
        "consider an enforcement notice. The noise has been referred to Environmental Health.",
    ),
    Topic(
        "land_supply", "Planning and Building Control", COMMITTEE,
        "Five-year housing land supply position",
        "For the next Planning Committee, could officers explain the council's current five-year housing land "
        "supply position and what it means for how speculative applications are decided?",
        "The council can currently demonstrate a 4.6-year supply of deliverable housing sites. Below five years the "
        "presumption in favour of sustainable development applies to housing applications, which reduces the weight "
        "of some Local Plan policies. A briefing note is being prepared for all members of the committee.",
    ),
    Topic(
        "local_plan", "Planning and Building Control", INFORMATION,
        "Local Plan consultation events in {ward}",
        "When and where will the Local Plan consultation events be held, and will there be one in {ward}? Several "
        "residents' groups want to attend.",
        "There will be a drop-in event at the {ward} community centre on a weekday evening and a Saturday morning; "
        "the dates are on the consultation page and in the leaflet going to every household. The team can also "
        "come to a residents' group meeting on request.",
    ),
    # Housing
    Topic(
        "damp_mould", "Housing", CASEWORK,
        "Damp and mould in a council flat on {street}",
        "{resident} lives in a council flat on {street} with two young children and has black mould in both "
        "bedrooms. A repair was reported months ago but nobody has been out. Please could this be treated as "
        "urgent?",
        "A surveyor found condensation mould caused by a failed extractor fan and a leaking gutter. The mould was "
        "treated within 48 hours, the fan and gutter have been repaired, and a follow-up inspection is booked in "
        "six weeks. We have apologised to {resident} for the delay in responding to the first report.",
    ),
    Topic(
        "homeless", "Housing", CASEWORK,
        "Homelessness application for a resident of {ward}",
        "{resident} has been served a section 21 notice and must leave the property at the end of next month. "
        "Could you confirm that a homelessness application has been opened, and what support will be offered?",
        "The council has accepted the prevention duty and a Housing Options Officer is negotiating with the "
        "landlord. {resident} is on the housing register; if the tenancy cannot be saved, temporary accommodation "
        "will be arranged in the area.",
    ),
    Topic(
        "housing_band", "Housing", CASEWORK,
        "Housing register banding for an overcrowded family on {street}",
        "{resident}, with a family of five, lives in a two-bedroom flat on {street} and believes they should be in "
        "a higher band on the housing register. Could the banding be reviewed?",
        "The household has been reassessed. It lacks two bedrooms under the allocations policy and has moved from "
        "Band C to Band B, backdated to the original application. {resident} has been told in writing.",
    ),
    Topic(
        "communal_door", "Housing", CASEWORK,
        "Broken entrance door at the flats on {street}",
        "The secure entrance door to the council flats on {street} has been broken for three weeks, and {resident} "
        "reports people sleeping in the stairwell. When will it be repaired?",
        "The door entry system needed a new control board, which has been fitted, and the door works again. "
        "Housing Officers have visited the block and the outreach team has made contact with the people sleeping "
        "in the stairwell.",
    ),
    Topic(
        "empty_homes", "Housing", INFORMATION,
        "Empty council homes in {ward}",
        "How many council homes in {ward} are empty at the moment, and what is the average time to relet one?",
        "Fourteen council homes in {ward} are empty: nine are being repaired and five are ready to let. The average "
        "time to relet this year is 34 calendar days, against a target of 28.",
    ),
    # Education and Skills
    Topic(
        "school_place", "Education and Skills", CASEWORK,
        "Secondary school place for a child on {street}",
        "{resident} of {street} has been offered a secondary school place more than four miles away and none of "
        "the three preferred schools. Can you explain why, and what the options are?",
        "All three preferred schools were oversubscribed and filled under their admission criteria before distance "
        "reached {street}. The child is on each school's waiting list and has moved up since offer day. {resident} "
        "may also appeal to an independent panel; the closing date is in the offer letter.",
    ),
    Topic(
        "school_transport", "Education and Skills", CASEWORK,
        "Home to school transport for a child with SEND",
        "{resident}'s child has an education, health and care plan and has been refused home to school transport. "
        "The family has no car and the journey takes two buses. Could the decision be reviewed?",
        "The case was reviewed at stage one of the appeal process. Given the needs set out in the child's plan, "
        "transport on a shared minibus has been agreed from the start of next half term, and the family has the "
        "details.",
    ),
    Topic(
        "ehcp", "Education and Skills", CASEWORK,
        "Delay in an education, health and care needs assessment",
        "{resident} asked for an EHC needs assessment for their son more than 20 weeks ago and has heard nothing. "
        "The legal time limit is 20 weeks. What is happening?",
        "The assessment was held up waiting for the educational psychology advice, which has now arrived. The "
        "draft plan will be issued within two weeks. The SEND Caseworker has apologised to {resident} and will "
        "phone weekly until the plan is final.",
    ),
    Topic(
        "place_planning", "Education and Skills", INFORMATION,
        "Primary school places in {ward}",
        "With the new housing in {ward}, will there be enough primary school places over the next five years? Are "
        "any schools planned to expand?",
        "Forecasts show a shortfall of about one form of entry in the {ward} planning area from two years' time. "
        "The council plans to expand {school} by one form of entry, partly funded by developer contributions; "
        "consultation starts in the autumn.",
    ),
    # Adults and Health
    Topic(
        "care_package", "Adult Social Care", CASEWORK,
        "Care package for a resident discharged from hospital",
        "{resident} of {street} came home from hospital last week, but the agreed package of care has not started "
        "and the family is providing care around work. When will carers start?",
        "A provider has been found and care visits, four a day, start on Monday. A social worker will review the "
        "package within six weeks. We have apologised to {resident} and the family for the delay, which was "
        "caused by the shortage of home care in the area.",
    ),
    Topic(
        "ot_assessment", "Adult Social Care", CASEWORK,
        "Delay in an occupational therapy assessment",
        "{resident} has waited four months for an occupational therapy assessment for a stairlift and grab rails, "
        "and had a fall last week. Could the assessment be brought forward?",
        "Because of the fall, {resident}'s referral is now urgent. An Occupational Therapist will visit this week "
        "and grab rails can be fitted within days of the visit; the stairlift will follow through a Disabled "
        "Facilities Grant.",
    ),
    Topic(
        "assessment_waits", "Adult Social Care", INFORMATION,
        "Waiting times for adult social care assessments",
        "How many people are waiting for a Care Act assessment, and what is the average wait from referral to "
        "assessment?",
        "At the end of last month 412 people were waiting for an assessment. The median wait is 23 days, and urgent "
        "cases are seen within 48 hours. Figures by locality are in the quarterly performance report to scrutiny.",
    ),
    Topic(
        "care_home", "Commissioning and Quality", INFORMATION,
        "Quality concerns about a care home in {ward}",
        "Relatives have told me of concerns about staffing at a care home in {ward}. Is the council aware of any "
        "problems, and what is being done?",
        "The Quality Assurance team visited after concerns were raised and has agreed an improvement plan with "
        "the home, with monthly monitoring visits. The Care Quality Commission has been told, and new placements "
        "are paused while the plan is delivered.",
    ),
    Topic(
        "air_quality", "Public Health", INFORMATION,
        "Air quality outside {school}",
        "Parents are worried about air pollution at the gates of {school}. Does the council monitor air quality "
        "there, and what do the readings show?",
        "A diffusion tube measures nitrogen dioxide on the road outside {school}. Last year's annual average was "
        "31 micrograms per cubic metre: below the legal limit of 40, but above the World Health Organization "
        "guideline. The school is being offered an anti-idling campaign and a School Street trial.",
    ),
    Topic(
        "stop_smoking", "Public Health", INFORMATION,
        "Stop-smoking support in {ward}",
        "What stop-smoking support is there for residents of {ward}, and how can they be referred?",
        "Residents can refer themselves to the free stop-smoking service by phone or online, and GPs and "
        "pharmacies can refer them too. There is a weekly drop-in at the {ward} health centre.",
    ),
    # Children and Families
    Topic(
        "placements", "Children's Social Care", COMMITTEE,
        "Children in care placed outside the area",
        "For the Corporate Parenting Panel, how many children in our care are placed more than 20 miles from home, "
        "and what is being done to find more local foster carers?",
        "Eighty-seven children in care, 24% of the total, are placed more than 20 miles from home. This year's "
        "fostering campaign has approved 11 new local foster households, and two small children's homes are "
        "opening in the area.",
    ),
    Topic(
        "youth_club", "Early Help and Family Support", INFORMATION,
        "Youth club sessions in {ward}",
        "Young people tell me the youth club sessions in {ward} have been cut from three evenings to one. Why, and "
        "will they be restored?",
        "The sessions were reduced when two youth workers left and their posts were held vacant during the budget "
        "review. One post has been filled and a second evening will restart next month; the service is bidding "
        "for external funding for a third.",
    ),
    Topic(
        "family_hub", "Early Help and Family Support", INFORMATION,
        "Family hub opening hours near {ward}",
        "What are the opening hours and services at the family hub nearest {ward}, and are there evening or weekend "
        "sessions for working parents?",
        "The hub is open 8.30am to 5pm on weekdays, until 7pm on Tuesdays, with a Saturday morning stay-and-play. "
        "Midwife clinics, health visitor drop-ins and parenting courses run there; the timetable is attached for "
        "you to share.",
    ),
    # Resources
    Topic(
        "budget", "Finance", DECISION,
        "Budget proposals affecting {ward}",
        "Before the budget meeting of full Council, could you tell me which proposed savings would affect services "
        "in {ward}, and what the equality impact assessments say?",
        "Three proposals affect {ward} directly: shorter library opening hours, less frequent grass cutting, and "
        "the transfer of the community centre to a community organisation. The equality impact assessments are "
        "published with the budget papers; the library proposal is assessed as having a moderate impact on older "
        "residents, with mitigations set out.",
    ),
    Topic(
        "capital_slippage", "Finance", COMMITTEE,
        "Capital programme slippage",
        "For the Audit and Governance Committee, which capital schemes are behind schedule this year, and why?",
        "Slippage is forecast at £14.2 million, mainly on the leisure centre refurbishment (contractor delays) and "
        "the highways structures programme (waiting for rail possessions). The quarterly capital monitoring report "
        "sets out each scheme and is on the committee's next agenda.",
    ),
    Topic(
        "council_tax", "Revenues and Benefits", CASEWORK,
        "Council tax arrears for a resident of {street}",
        "{resident} of {street} fell behind with council tax after losing their job and has received a summons. "
        "Could recovery be paused while an affordable arrangement is agreed, and can they get council tax support?",
        "Recovery is on hold for 30 days. A Recovery Officer has agreed an affordable arrangement with {resident}, "
        "and a council tax support claim has been made, backdated to the date of the job loss. If it is awarded, "
        "the arrears will be reduced.",
    ),
    Topic(
        "benefit_delay", "Revenues and Benefits", CASEWORK,
        "Delay in a housing benefit claim",
        "{resident} made a housing benefit claim seven weeks ago and the landlord is now threatening eviction for "
        "the arrears. Could the claim be looked at urgently?",
        "The claim was waiting for proof of income, which has arrived. It has been assessed and the first payment, "
        "backdated to the start of the claim, goes to the landlord this week. We have written to the landlord to "
        "confirm.",
    ),
    Topic(
        "discount_review", "Revenues and Benefits", INFORMATION,
        "Single person discount review letters",
        "Residents are confused by letters about a review of single person discounts. What is the review, and what "
        "happens if someone does not reply?",
        "Every two years the council checks single person discounts against credit reference and electoral "
        "records. Residents who still live alone only need to confirm it online. Without a reply after a reminder "
        "the discount may be removed, but it is restored if the resident confirms later.",
    ),
    Topic(
        "licensed_premises", "Legal and Democratic Services", CASEWORK,
        "Noise from licensed premises on {street}",
        "{resident} of {street} is kept awake by music and customers outside a late-night bar until 2am most "
        "weekends. What can the council do under the premises licence?",
        "Licensing officers visited the bar on two weekend nights and found breaches of the licence conditions on "
        "noise and dispersal. The licence holder has had a formal warning and must follow an action plan. If the "
        "problems continue, residents or the council can apply for a review of the licence; we have sent "
        "{resident} the guidance.",
    ),
    Topic(
        "polling_station", "Legal and Democratic Services", INFORMATION,
        "Polling station for {ward}",
        "Residents of {street} ask why their polling station has moved further away. Could you explain, and is the "
        "new station accessible?",
        "The old polling station, a school hall, is no longer available on polling day. The new one is a community "
        "hall with level access, a ramp and a disabled parking bay. The polling district review is open for "
        "comments until the end of the month.",
    ),
    Topic(
        "taxi_licensing", "Legal and Democratic Services", INFORMATION,
        "Taxi licensing policy changes",
        "Several drivers have asked me about the proposed changes to the taxi licensing policy. Could you summarise "
        "what is proposed and when the Licensing Committee will decide?",
        "The draft policy proposes an age limit for licensed vehicles, safeguarding refresher training every three "
        "years and CCTV in all vehicles. Consultation closes next month and the Licensing Committee will consider "
        "the responses at its following meeting.",
    ),
    Topic(
        "contact_centre", "Customer Services and Digital", INFORMATION,
        "Waiting times on the council's phone line",
        "Residents tell me they wait more than 30 minutes to get through on the council's main phone number. What "
        "are the average waiting times, and what is being done?",
        "The average wait last month was 11 minutes, with peaks of more than 30 minutes on Monday mornings. More "
        "staff now cover Monday mornings and a call-back option is being introduced so callers need not hold.",
    ),
    Topic(
        "complaint", "Customer Services and Digital", CASEWORK,
        "Complaint not acknowledged for a resident of {street}",
        "{resident} made a formal complaint six weeks ago about how a council tax query was handled and has had no "
        "acknowledgement. Could you find out what has happened?",
        "The complaint was logged against the wrong address and never assigned. It has now been acknowledged and "
        "passed to the Revenues service, which will respond within ten working days. The Complaints Officer has "
        "apologised to {resident}.",
    ),
    Topic(
        "agency_spend", "People Services", COMMITTEE,
        "Spending on agency staff",
        "For the Overview and Scrutiny Committee, how much did the council spend on agency staff last year, by "
        "directorate?",
        "The council spent £9.8 million on agency staff last year: Adults and Health £3.1 million, Children and "
        "Families £4.2 million, Place and Environment £1.6 million and Resources £0.9 million. A recruitment and "
        "retention plan to reduce it will be reported to the committee.",
    ),
]  # fmt: skip
TOPICS_BY_KEY = {topic.key: topic for topic in TOPICS}

# How often each service is asked, relative to the others: the demo service is the busiest.
SERVICE_WEIGHTS = {
    "Highways and Transport": 24,
    "Waste and Recycling": 11,
    "Housing": 11,
    "Planning and Building Control": 8,
    "Adult Social Care": 6,
    "Revenues and Benefits": 6,
    "Parks and Green Spaces": 5,
    "Education and Skills": 6,
    "Legal and Democratic Services": 4,
    "Customer Services and Digital": 3,
    "Finance": 3,
    "Public Health": 3,
    "Early Help and Family Support": 3,
    "Children's Social Care": 2,
    "Commissioning and Quality": 2,
    "People Services": 1,
}

RESIDENTS = [
    ("Mrs", "Anita"), ("Mr", "David"), ("Ms", "Joanne"), ("Mr", "Tariq"), ("Mrs", "Margaret"), ("Miss", "Chloe"),
    ("Mr", "Kwame"), ("Mrs", "Harjit"), ("Ms", "Siobhan"), ("Mr", "Graham"), ("Mrs", "Beverley"), ("Mr", "Arif"),
    ("Ms", "Leanne"), ("Mr", "Stanley"), ("Mrs", "Olena"), ("Dr", "Samuel"),
]  # fmt: skip
STREETS = [
    *council.STREETS, "Elm Road", "Hawthorn Drive", "Brunswick Street", "Canal Side", "Orchard Way", "Mill Race",
    "Foundry Lane", "St Anne's Road", "Tanner's Row", "Gladstone Terrace",
]  # fmt: skip
SCHOOLS = [
    "St Mary's Church of England Primary School", "Brookside Primary Academy", "Northfield Community Primary School",
    "Castle Hill High School", "Millbrook Junior School", "Our Lady of Lourdes Catholic Primary School",
]  # fmt: skip
PARKS = ["Victoria Park", "Millbrook Recreation Ground", "Castle Gardens", "Riverside Park", "Eastgate Playing Fields"]

# --- What officers, members and the Chief Executive say ---------------------------

REASSIGN_REASONS = [
    "Passed to the officer who covers this area.",
    "This needs a site visit by the inspector for the ward.",
    "Handing on to a colleague who knows the history of this case.",
    "Reallocated to balance the team's workload.",
]
HOLDING_REASONS = [
    "The answer needs information from our contractor, who has been asked to report back before the new target date.",
    "A site visit is needed and the first available inspection slot is next week.",
    "The figures you asked for are being checked by the finance team before they are released.",
    "Part of the answer depends on a meeting with a partner organisation, which is booked before the new target date.",
    "The officer who knows this case is on leave; a colleague is reviewing the file.",
    "We need records from archive storage, which take several working days to retrieve.",
]
FOLLOW_UP_ANSWERS = [
    "I have checked with the team again: the work was finished on site this week and a supervisor has inspected it.",
    "Thank you for the follow-up. The monthly breakdown you asked for is below; the first answer gave only the "
    "annual totals.",
    "The date in my earlier answer has slipped by a week because of the weather; the work is now booked for next "
    "Thursday and residents have been told.",
    "I have spoken to the resident directly and agreed the next steps, which are set out here for your records.",
]
DECLINE_REASONS = [
    "The information asked for is being prepared for a report that will be published with the committee agenda "
    "next week. It would be unfair to release part of it to one member before all members and the public have it.",
    "This repeats an enquiry answered in full recently; that answer still stands and there is nothing new to add.",
    "This asks for details about an individual member of staff, which are confidential and not needed for a "
    "councillor's role.",
    "This concerns a decision with its own statutory appeal route, which the resident is already using; the council "
    "cannot comment while the appeal is decided.",
    "Answering would mean collating several years of records by hand, which is disproportionate. A narrower "
    "question, for example covering the last twelve months, can be answered.",
]
DISPUTE_REASONS = [
    "I need this information before the decision is taken, not after it, to represent my residents.",
    "This does not repeat my earlier enquiry: circumstances have changed since then.",
    "I have not asked for anything personal or confidential, and residents are entitled to know.",
    "A narrower version of this question was answered for another ward, so it cannot be disproportionate.",
]
UPHOLD_REASONS = [
    "The decline was reasonable: the information will be published shortly and the member will have it then.",
    "The enquiry does repeat an earlier one, and the answer given then still stands.",
    "The information is confidential and the member has not shown a need to know it to perform their role.",
]
DIRECT_REASONS = [
    "The member has shown a need to know this to perform their role. The service should answer, marking the "
    "answer confidential where it needs to be.",
    "The question can be answered proportionately from existing records, and the service should do so.",
]
WITHDRAW_REASONS = [
    "The resident has been in touch with the service directly and the matter is sorted out.",
    "Sent in error: this is a matter for the county council.",
    "I found the answer in the committee papers.",
    "",
]
REOPEN_FOLLOW_UPS = [
    "The resident tells me the work has still not been done. Could you check?",
    "Thank you. Could you also give me the figures month by month?",
    "The answer does not cover the second part of my question. Could you look again?",
    "The date given has now passed. Is there an update?",
]

# --- The plan ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing that happens to an enquiry, on a working day counted back from today."""

    action: Action
    day: int  # working days before today: 1 is the last working day before today
    minute: int  # minutes after midnight, council time
    text: str = ""
    officer: str = ""  # REASSIGN: the new owner's username
    target: int = 0  # HOLD: the new target day, counted like ``day`` (0 or less: today or later)
    marking: str = ""  # ANSWER
    personal: bool = False  # ANSWER: contains the constituent's personal data
    method: str = ""  # CONSENT
    given_days_before: int = 0  # CONSENT: calendar days before it was recorded


@dataclass(frozen=True)
class EnquiryPlan:
    member: str  # username
    service: str
    purpose: str
    subject: str
    details: str
    ward: str | None
    # 001 §8.1 (a)–(c) for ward casework: lives in the ward, acting for them, needed for a complaint.
    consent_answers: tuple[bool | None, bool | None, bool | None]
    constituent: str  # who gives consent, if it is asked for
    filed: int  # working days before today
    minute: int
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Story:
    """A scripted enquiry: its topic, when it was filed, and (action, day[, argument]) steps."""

    topic: str
    filed: int
    steps: list[tuple] = field(default_factory=list)
    consent_answers: tuple[bool | None, bool | None, bool | None] = (True, True, True)


A = Action
# The demo councillors' own enquiries, one story each, so every page they see has something
# to show. Days count working days before today; a HOLD's argument is its target day, a
# REASSIGN's the new owner, an ANSWER's "personal" if it contains the constituent's data.
DEMO_STORIES: dict[str, list[Story]] = {
    "councillor": [
        Story("pothole", 6, [(A.ANSWER, 2)]),  # answered recently: may still be reopened
        Story("planning_application", 5, [(A.DECLINE, 2)]),  # declined: may still be disputed
        Story("land_supply", 12, [(A.DECLINE, 8), (A.DISPUTE, 2)]),  # with the Chief Executive
        Story("streetlight", 9, [(A.REASSIGN, 9, "officer"), (A.HOLD, 4, -4)]),  # holding reply
        Story("verge_parking", 9, [(A.REASSIGN, 9, "officer")]),  # overdue
        Story("dropped_kerb", 3, [], (True, True, False)),  # ward casework needing explicit consent
        Story("gritting", 5, []),  # due today (at a weekend, on the next working day)
        Story("bus_stop", 9, [(A.ANSWER, 4), (A.REOPEN, 2)]),  # reopened with a follow-up
        Story("budget", 14, [(A.DECLINE, 10), (A.DISPUTE, 7), (A.DIRECT, 3)]),  # answer directed
        Story("missed_bins", 40, [(A.ANSWER, 36), (A.CLOSE, 34)]),
        Story("fly_tipping", 20, [(A.WITHDRAW, 18)]),
        Story("highways_backlog", 60, [(A.ANSWER, 52)]),  # answered three days late
        Story("school_place", 80, [(A.DECLINE, 77), (A.DISPUTE, 75), (A.UPHOLD, 71)]),
        Story("damp_mould", 30, [(A.ANSWER, 26, "personal")]),
        Story("resurfacing", 100, [(A.HOLD, 96, 88), (A.ANSWER, 90)]),
        Story("residents_parking", 150, [(A.REASSIGN, 150, "officer"), (A.ANSWER, 146), (A.CLOSE, 140)]),
    ],
    "councillor2": [
        Story("council_tax", 3, []),
        Story("licensed_premises", 8, [(A.HOLD, 4, -3)]),
        Story("capital_slippage", 30, [(A.ANSWER, 25)]),
        Story("housing_band", 50, [(A.ANSWER, 47, "personal"), (A.CLOSE, 45)]),
        Story("taxi_licensing", 7, [(A.ANSWER, 1)]),
    ],
    "independent": [
        Story("play_equipment", 10, []),  # overdue, with the Head of Parks (no liaison officer)
        Story("care_package", 2, []),
        Story("polling_station", 25, [(A.ANSWER, 20)]),
        Story("empty_homes", 9, [(A.DECLINE, 5)]),
        Story("tree_felling", 70, [(A.ANSWER, 64), (A.CLOSE, 60)]),
    ],
}
# Filed by other councillors, so that every state and situation shows up whatever the draw.
COVERAGE_STORIES = [
    Story("speed_limit", 11, [(A.DECLINE, 7), (A.DISPUTE, 3)]),
    Story("homeless", 13, [(A.DECLINE, 9), (A.DISPUTE, 6), (A.DIRECT, 2)]),
    Story("pothole", 10, [(A.REASSIGN, 10, "officer"), (A.ANSWER, 4), (A.REOPEN, 3)]),
    Story("missed_bins", 9, [(A.ANSWER, 5), (A.REOPEN, 4), (A.ANSWER, 2)]),
    Story("communal_door", 16, [(A.HOLD, 12, 4)]),  # the holding reply's target has passed
    Story("streetlight", 7, [(A.REASSIGN, 7, "officer"), (A.HOLD, 3, -6)]),
    Story("ehcp", 12, [], (True, True, None)),  # overdue, and consent still to be recorded
    Story("fly_tipping", 6, [(A.WITHDRAW, 2)]),
    Story("enforcement", 8, [(A.DECLINE, 1)]),
    Story("contact_centre", 9, [(A.DECLINE, 5), (A.DISPUTE, 3), (A.UPHOLD, 1)]),
]


def plan_demo_enquiries() -> list[EnquiryPlan]:
    """Every demo enquiry and its story, drawn in memory: the same every time it is called."""
    drawer = _Drawer(random.Random(SEED), council.plan_demo_council())
    plans = [drawer.scripted(username, story) for username, stories in DEMO_STORIES.items() for story in stories]
    plans += [drawer.scripted(drawer.member(), story) for story in COVERAGE_STORIES]
    plans += [drawer.random() for _ in range(RANDOM_ENQUIRIES)]
    return plans


class _Clock:
    """Hands out the moments of one enquiry's story in order, never going back in time."""

    def __init__(self, rng: random.Random, day: int, minute: int) -> None:
        self.rng, self.day, self.minute = rng, day, minute

    def at(self, day: int) -> tuple[int, int]:
        day = min(day, self.day)
        if day == self.day:
            minute = min(self.minute + self.rng.randint(20, 90), 21 * 60)
        else:
            minute = self.rng.randint(OPENS, CLOSES)
        self.day, self.minute = day, minute
        return day, minute

    def after(self, days: int) -> tuple[int, int]:
        return self.at(self.day - days)


def _response_delay(rng: random.Random) -> int:
    """Working days from receipt to the answer: mostly within the five of 001 §7.1, some late,
    a few very late (the ones escalation would have chased)."""
    return rng.choices(range(1, 15), weights=[16, 22, 20, 15, 12, 7, 4, 4, 1, 1, 1, 1, 0.5, 0.5])[0]


class _Drawer:
    def __init__(self, rng: random.Random, plan: council.CouncilPlan) -> None:
        self.rng = rng
        demo = set(DEMO_STORIES)
        self.wards = {m.person.username: m.ward for m in plan.members}
        self.members = [m.person.username for m in plan.members if m.person.username not in demo]
        # Some councillors ask far more than others.
        self.activity = [rng.uniform(0.2, 2.5) for _ in self.members]
        liaison = {username for s in plan.services for username in s.liaison_officers}
        self.colleagues = {
            s.name: sorted(
                o.person.username
                for o in plan.officers
                if o.service == s.name and not o.is_senior and o.person.username not in liaison
            )
            for s in plan.services
        }
        in_service = {service: [t for t in TOPICS if t.service == service] for service in SERVICE_WEIGHTS}
        self.topics = [t for service in SERVICE_WEIGHTS for t in in_service[service]]
        self.topic_weights = [SERVICE_WEIGHTS[t.service] / len(in_service[t.service]) for t in self.topics]

    def member(self) -> str:
        return self.rng.choices(self.members, weights=self.activity)[0]

    # --- Whole enquiries

    def scripted(self, username: str, story: Story) -> EnquiryPlan:
        topic = TOPICS_BY_KEY[story.topic]
        clock = _Clock(self.rng, story.filed, self.rng.randint(OPENS, CLOSES))
        filed_minute = clock.minute
        steps = []
        for action, day, *argument in story.steps:
            moment = clock.at(day)
            if action == A.REASSIGN:
                steps.append(self._step(action, moment, officer=argument[0]))
            elif action == A.HOLD:
                steps.append(self._step(action, moment, target=argument[0]))
            elif action == A.ANSWER:
                steps.append(self._answer(moment, topic, personal=argument == ["personal"]))
            else:
                steps.append(self._step(action, moment))
        return self._plan(username, topic, story.consent_answers, story.filed, filed_minute, steps)

    def random(self) -> EnquiryPlan:
        rng = self.rng
        username = self.member()
        topic = rng.choices(self.topics, weights=self.topic_weights)[0]
        # A steady flow over the year, and more in the last three weeks so the queues are busy.
        filed = rng.randint(1, YEAR) if rng.random() < 0.8 else rng.randint(1, 15)
        consent_answers = (True, True, True)
        if topic.purpose == CASEWORK and rng.random() < 0.2:
            consent_answers = rng.choice([(True, True, False), (False, True, True), (True, True, None)])
        explicit = consent_answers != (True, True, True)
        clock = _Clock(rng, filed, rng.randint(OPENS, CLOSES))
        filed_minute = clock.minute
        steps = self._random_story(clock, topic, explicit)
        return self._plan(username, topic, consent_answers, filed, filed_minute, steps)

    def _plan(self, username, topic, consent_answers, filed, minute, steps) -> EnquiryPlan:
        rng = self.rng
        title, first = rng.choice(RESIDENTS)
        last = rng.choice(council.LAST_NAMES)
        street, street2 = rng.sample(STREETS, 2)
        ward = self.wards[username]
        words = {
            "resident": f"{title} {last}",
            "street": street,
            "street2": street2,
            "number": rng.randint(2, 180),
            "ward": ward,
            "school": rng.choice(SCHOOLS),
            "park": rng.choice(PARKS),
        }
        casework = topic.purpose == CASEWORK
        steps = [replace(step, text=step.text.format(**words)) if step.action == A.ANSWER else step for step in steps]
        return EnquiryPlan(
            member=username,
            service=topic.service,
            purpose=topic.purpose,
            subject=topic.subject.format(**words),
            details=topic.details.format(**words),
            ward=ward if casework or "{ward}" in topic.subject + topic.details else None,
            consent_answers=consent_answers if casework else (None, None, None),
            constituent=f"{first} {last}",
            filed=filed,
            minute=minute,
            steps=tuple(steps),
        )

    # --- Stories

    def _random_story(self, clock: _Clock, topic: Topic, explicit: bool) -> list[Step]:
        rng = self.rng
        steps = []
        colleagues = self.colleagues[topic.service]
        if topic.service == council.DEMO_SERVICE and rng.random() < 0.55:
            # The demo officer takes most of what the liaison officer hands on.
            to = "officer" if rng.random() < 0.6 else rng.choice(colleagues)
            steps.append(self._step(A.REASSIGN, clock.after(rng.choice((0, 0, 1))), officer=to))
        elif topic.service != council.DEMO_SERVICE and colleagues and rng.random() < 0.3:
            steps.append(self._step(A.REASSIGN, clock.after(rng.choice((0, 0, 1))), officer=rng.choice(colleagues)))
        fate = rng.random()
        if fate < 0.03:
            steps.append(self._step(A.WITHDRAW, clock.after(rng.randint(0, 3))))
        elif fate < 0.09:
            steps += self._declined(clock, topic, explicit)
        elif fate < 0.18:
            moment = clock.after(rng.randint(2, 5))
            hold_day = moment[0]
            target = hold_day - rng.randint(4, 10)
            steps.append(self._step(A.HOLD, moment, target=target))
            # Mostly on or before the new target; now and then after it.
            answer_day = min(target + rng.choice((3, 2, 1, 1, 0, 0, 0, -1, -2)), hold_day - 1)
            steps += self._answered(clock, topic, explicit, answer_day)
        else:
            steps += self._answered(clock, topic, explicit, clock.day - _response_delay(rng))
        return steps

    def _declined(self, clock: _Clock, topic: Topic, explicit: bool) -> list[Step]:
        rng = self.rng
        steps = [self._step(A.DECLINE, clock.after(rng.randint(1, 4)))]
        then = rng.random()
        if then < 0.5:
            steps.append(self._step(A.DISPUTE, clock.after(rng.randint(1, 3))))
            if rng.random() < 0.55:
                steps.append(self._step(A.UPHOLD, clock.after(rng.randint(1, 5))))
            else:
                steps.append(self._step(A.DIRECT, clock.after(rng.randint(1, 5))))
                steps += self._answered(clock, topic, explicit, clock.day - rng.randint(1, 5))
        elif then < 0.6:
            steps.append(self._step(A.WITHDRAW, clock.after(rng.randint(1, 3))))
        return steps

    def _answered(self, clock: _Clock, topic: Topic, explicit: bool, day: int) -> list[Step]:
        rng = self.rng
        steps = []
        personal = False
        if topic.purpose == CASEWORK:
            if explicit and rng.random() < 0.6:
                # 001 §8.2: consent recorded first, so the answer may include the constituent's data.
                steps.append(self._consent(clock.at(day + rng.randint(0, 2))))
                personal = True
            elif not explicit:
                personal = rng.random() < 0.5
        steps.append(self._answer(clock.at(day), topic, personal=personal))
        after = rng.random()
        if after < 0.27:
            steps.append(self._step(A.CLOSE, clock.after(rng.randint(0, 8))))
        elif after < 0.45 and clock.day <= REOPENABLE:
            steps.append(self._step(A.REOPEN, clock.after(rng.randint(1, 3))))
            steps.append(self._answer(clock.after(rng.randint(1, 6)), topic, follow_up=True))
            if rng.random() < 0.35:
                steps.append(self._step(A.CLOSE, clock.after(rng.randint(0, 6))))
        return steps

    # --- Steps

    def _step(self, action: Action, moment: tuple[int, int], **values) -> Step:
        texts = {
            A.REASSIGN: REASSIGN_REASONS,
            A.HOLD: HOLDING_REASONS,
            A.DECLINE: DECLINE_REASONS,
            A.DISPUTE: DISPUTE_REASONS,
            A.UPHOLD: UPHOLD_REASONS,
            A.DIRECT: DIRECT_REASONS,
            A.WITHDRAW: WITHDRAW_REASONS,
            A.REOPEN: REOPEN_FOLLOW_UPS,
        }
        if action in texts:
            values["text"] = self.rng.choice(texts[action])
        day, minute = moment
        return Step(action, day, minute, **values)

    def _answer(self, moment: tuple[int, int], topic: Topic, *, personal: bool = False, follow_up=False) -> Step:
        # 001 §7.3: casework answers are mostly confidential; answers about policy mostly public.
        confidential = self.rng.random() < (0.8 if topic.purpose == CASEWORK else 0.25)
        text = self.rng.choice(FOLLOW_UP_ANSWERS) if follow_up else topic.answer
        marking = Marking.CONFIDENTIAL if confidential else Marking.PUBLIC
        return self._step(A.ANSWER, moment, text=text, marking=marking, personal=personal)

    def _consent(self, moment: tuple[int, int]) -> Step:
        method = self.rng.choice(ConsentRecord.Method.values)
        return self._step(A.CONSENT, moment, method=method, given_days_before=self.rng.randint(0, 3))


# --- Writing the plan ----------------------------------------------------------


@dataclass
class EnquirySummary:
    created: bool
    counts: dict[str, int]  # state label -> enquiries in it


class _WorkingDays:
    """Working days counted from today: 1 is the last working day before today, 0 the first
    from today on, -1 the next, and so on."""

    def __init__(self, calendar: WorkingDayCalendar, *, today: date, back: int, ahead: int = 30) -> None:
        self.past: list[date] = []
        day = today
        while len(self.past) < back:
            day -= timedelta(days=1)
            if calendar.is_working_day(day):
                self.past.append(day)
        self.future: list[date] = []
        day = today
        while len(self.future) < ahead:
            if calendar.is_working_day(day):
                self.future.append(day)
            day += timedelta(days=1)

    def date(self, day: int) -> date:
        return self.past[day - 1] if day >= 1 else self.future[-day]


def enquiry_counts() -> dict[str, int]:
    by_state = dict(Enquiry.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return {state.label: by_state[state.value] for state in EnquiryState if by_state.get(state.value)}


@transaction.atomic
def build_demo_enquiries(*, now: datetime | None = None) -> EnquirySummary:
    """File the demo enquiries and play out their stories, unless there are enquiries already."""
    if Enquiry.objects.exists():
        return EnquirySummary(created=False, counts=enquiry_counts())
    now = now or timezone.now()
    plans = plan_demo_enquiries()
    # One calendar for the whole run; the services still read their own, one query a call.
    days = _WorkingDays(council_calendar(), today=local_date(now), back=max(plan.filed for plan in plans))
    builder = _Builder(days)
    # In the order they were filed, so references run in date order.
    with notifications.recording_history():
        for plan in sorted(plans, key=lambda plan: (-plan.filed, plan.minute)):
            builder.build(plan)
    _settle_notifications(days, Notification.objects.filter(enquiry__isnull=False))
    return EnquirySummary(created=True, counts=enquiry_counts())


def _settle_notifications(days: _WorkingDays, notifications) -> None:
    """The history's notifications were (but for the last few days') read long ago; they were
    recorded as e-mailed when written (``recording_history``), so nothing is sent now."""
    history = notifications.filter(read_at__isnull=True)
    read_before = datetime.combine(days.date(3), time.min, tzinfo=timezone.get_default_timezone())
    history.filter(created_at__lt=read_before).update(read_at=F("created_at") + timedelta(hours=1))


class _Builder:
    """Drives each planned enquiry through cases.services, at the planned moments."""

    def __init__(self, days: _WorkingDays) -> None:
        self.days = days
        self.zone = timezone.get_default_timezone()
        users = get_user_model().objects.select_related("officer", "member")
        self.users = {user.username: user for user in users}
        self.users_by_pk = {user.pk: user for user in self.users.values()}
        self.members = {member.user.username: member for member in Member.objects.select_related("user")}
        self.services = {service.name: service for service in Service.objects.select_related("head_of_service")}
        self.heads = {service.pk: service.head_of_service.user_id for service in self.services.values()}
        self.wards = {ward.name: ward for ward in Ward.objects.all()}
        self.chief = self.users_by_pk[head_of_paid_service().user_id]
        self.actions: dict[Action, Callable[[Enquiry, EnquiryPlan, Step, datetime], Enquiry]] = {
            A.REASSIGN: self._reassign,
            A.HOLD: self._hold,
            A.CONSENT: self._consent,
            A.ANSWER: self._answer,
            A.DECLINE: self._decline,
            A.DISPUTE: self._dispute,
            A.UPHOLD: self._uphold,
            A.DIRECT: self._direct,
            A.WITHDRAW: self._withdraw,
            A.REOPEN: self._reopen,
            A.CLOSE: self._close,
        }

    def moment(self, day: int, minute: int) -> datetime:
        return datetime.combine(self.days.date(day), time(minute // 60, minute % 60), tzinfo=self.zone)

    def build(self, plan: EnquiryPlan) -> Enquiry:
        lives_in_ward, acting_for_constituent, for_complaint = plan.consent_answers
        member = self.members[plan.member]
        enquiry = services.enquiry_file(
            member=member,
            subject=plan.subject,
            details=plan.details,
            service=self.services[plan.service],
            purpose=plan.purpose,
            ward=self.wards[plan.ward] if plan.ward else None,
            constituent_lives_in_ward=lives_in_ward,
            acting_for_constituent=acting_for_constituent,
            information_needed_for_complaint=for_complaint,
            now=self.moment(plan.filed, plan.minute),
        )
        for step in plan.steps:
            if step.day < 1:
                break  # today or later: it has not happened yet
            enquiry = self.actions[step.action](enquiry, plan, step, self.moment(step.day, step.minute))
        return enquiry

    def owner(self, enquiry: Enquiry):
        return self.users_by_pk[enquiry.owner.user_id]

    def member(self, enquiry: Enquiry):
        return self.users_by_pk[enquiry.member.user_id]

    def _reassign(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        new_owner = self.users[step.officer].officer
        if new_owner.pk == enquiry.owner_id:
            return enquiry
        actor = self.owner(enquiry)
        return services.enquiry_reassign(enquiry=enquiry, actor=actor, new_owner=new_owner, reason=step.text, now=now)

    def _hold(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        target_on = self.days.date(step.target)
        actor = self.owner(enquiry)
        return services.enquiry_hold(enquiry=enquiry, actor=actor, reason=step.text, target_on=target_on, now=now)

    def _consent(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        services.enquiry_consent_record(
            enquiry=enquiry,
            actor=self.owner(enquiry),
            given_by=plan.constituent,
            given_on=local_date(now) - timedelta(days=step.given_days_before),
            method=step.method,
            now=now,
        )
        return enquiry

    def _answer(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_answer(
            enquiry=enquiry,
            actor=self.owner(enquiry),
            text=step.text,
            marking=step.marking,
            contains_personal_data=step.personal,
            now=now,
        )

    def _decline(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        # 001 §7.1: the Head of Service declines.
        head = self.users_by_pk[self.heads[enquiry.service_id]]
        return services.enquiry_decline(enquiry=enquiry, actor=head, reasons=step.text, now=now)

    def _dispute(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_dispute(enquiry=enquiry, actor=self.member(enquiry), reasons=step.text, now=now)

    def _uphold(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_dispute_decide(
            enquiry=enquiry, actor=self.chief, decision=Dispute.Decision.UPHELD, reasons=step.text, now=now
        )

    def _direct(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_dispute_decide(
            enquiry=enquiry, actor=self.chief, decision=Dispute.Decision.DIRECTED, reasons=step.text, now=now
        )

    def _withdraw(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_withdraw(enquiry=enquiry, actor=self.member(enquiry), reason=step.text, now=now)

    def _reopen(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_reopen(enquiry=enquiry, actor=self.member(enquiry), follow_up=step.text, now=now)

    def _close(self, enquiry: Enquiry, plan: EnquiryPlan, step: Step, now: datetime) -> Enquiry:
        return services.enquiry_close(enquiry=enquiry, actor=self.member(enquiry), now=now)


# ==================================================================================
# Concerns, sanctions and positive examples (DESIGN §4–§6; 000 §VI–§VIII, 001 §6)
# ==================================================================================
#
# Like the enquiries: plan_demo_concerns() draws the people in each scripted story from the
# council's plan without reading the database, and build_demo_concerns() drives each story
# through cases.concern_services with ``now=`` in the past. A concern left alone past its
# stage target moves on exactly as the portal's deadline sweep would have moved it: the
# sweep itself is run, for that concern, at the moment it fell due (_HistorySweep).
#
# The stories are written for the default stage target of ten working days
# (CONCERN_STAGE_WORKING_DAYS): every handler acts within eight, except where a story says
# the concern was left to climb or to go overdue. Open concerns at stages 1 and 2 started
# within the last eight working days, so the running portal's sweep has nothing to catch
# up on: only the two concerns at stages 3 and 4 are deliberately overdue (stages 3 and 4
# never climb; their reminders went out in the past).
#
# Contact prohibitions fall only on councillors who are not demo accounts, and only on
# officers (or a service) their enquiries never reached: every enquiry in the demo was
# routed before the prohibition existed, so a prohibition covering one would contradict
# it. The demo councillors' enquiries always route normally.


class ConcernAction(StrEnum):
    ESCALATE = "escalate"
    NOTE = "note"
    REASSIGN = "reassign"
    SHARE = "share"
    RESOLVE = "resolve"
    INFORMAL = "informal"
    PROPOSE = "propose"
    SANCTION = "sanction"
    REFER = "refer"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Who:
    """Someone in a concern or positive-example story: a demo account, or a person drawn
    from the council's plan. Stories naming the same ``key`` share the person."""

    username: str = ""  # a demo account
    party: str = ""  # else a councillor (not a demo account or a Whip) of this group, or council.INDEPENDENT
    service: str = ""  # else an officer in this service who manages no one
    key: str = ""
    committee: str = ""  # the councillor sits on this committee
    never_asked: str = ""  # the councillor has filed no demo enquiry with this service


def cllr(party: str, **kwargs) -> Who:
    return Who(party=party, **kwargs)


def staff(service: str, **kwargs) -> Who:
    return Who(service=service, **kwargs)


def demo(username: str) -> Who:
    return Who(username=username)


@dataclass(frozen=True)
class SanctionPlan:
    """A sanction recorded at stage 4 (000 §VIII). A contact prohibition starts on the
    working day after it is recorded, so nothing the member has open is rerouted."""

    kind: str  # Sanction.Kind
    details: str = ""
    committees: tuple[str, ...] = ()
    scope: str = ""  # a contact prohibition: OFFICER covers the complainant, SERVICE covers ``service``
    service: str = ""
    lasts: int = 0  # calendar days; 0: indefinitely
    reference: str = ""  # an officer's disciplinary case
    officer: str = ""  # filled in by the plan: the officer a prohibition covers


@dataclass(frozen=True)
class ConcernStory:
    """A scripted concern. Days count working days before today, as for enquiries. Steps:
    (ESCALATE | NOTE | SHARE | RESOLVE | PROPOSE | WITHDRAW, day, text),
    (REASSIGN, day, Who, reason), (INFORMAL, day, ((kind, given_by, details), ...), outcome),
    (SANCTION, day, (SanctionPlan, ...), outcome), (REFER, day, kind, details, independent person, outcome).
    Texts may name {c} and {s} (complainant and subject; {c_short}, {s_short}, {c_title},
    {s_title}), the councillor's {ward} and {group}, and the officer's {service}."""

    complainant: Who
    subject: Who
    raised: int
    expected: str  # the ConcernState the story ends in
    what: str
    behaviours: tuple[str, ...]
    steps: tuple[tuple, ...] = ()
    feels_able: bool = True
    safeguarding: bool = False
    duties: bool = False


@dataclass(frozen=True)
class ConcernStep:
    action: ConcernAction
    day: int
    minute: int
    text: str = ""  # the reason, note, outcome or referral details
    outcome: str = ""  # INFORMAL, SANCTION, REFER: what the complainant is told
    officer: str = ""  # REASSIGN: the new handler
    informal: tuple[tuple[str, str, str], ...] = ()  # (kind, given_by, details)
    sanctions: tuple[SanctionPlan, ...] = ()
    referral: str = ""  # ExternalReferral.Kind
    independent_person: str = ""


@dataclass(frozen=True)
class ConcernPlan:
    complainant: str  # usernames
    subject: str
    duties: bool
    raised: int
    minute: int
    occurred_days_before: int  # calendar days before it was raised
    what_happened: str
    behaviours: tuple[str, ...]
    feels_able_to_talk: bool
    safeguarding: bool
    steps: tuple[ConcernStep, ...]
    expected: str


@dataclass(frozen=True)
class PositiveStory:
    """000 §VI: member-officer working that went well. ``forwarded`` is (day, the Assistant
    Director's comment); ``acknowledged`` is (day, the Monitoring Officer's comment,
    publishable). Texts may name {m} and {o} (the first member and officer; {m_short},
    {o_short}, {o_title}) and the member's {ward}."""

    recorded_by: Who
    service: str
    recorded: int
    title: str
    what: str
    members: tuple[Who, ...] = ()
    officers: tuple[Who, ...] = ()
    forwarded: tuple[int, str] | None = None
    acknowledged: tuple[int, str, bool] | None = None


@dataclass(frozen=True)
class PositivePlan:
    recorded_by: str
    service: str
    recorded: int
    minute: int
    happened_days_before: int
    title: str
    what_happened: str
    members: tuple[str, ...]
    officers: tuple[str, ...]
    forwarded: tuple[int, int, str] | None  # (day, minute, comment)
    acknowledged: tuple[int, int, str, bool] | None  # (day, minute, comment, publishable)


C = ConcernAction
LAB, CON, LD, IND = "Lab", "Con", "LD", council.INDEPENDENT
ADVICE, TRAINING = InformalAction.Kind.ADVICE, InformalAction.Kind.TRAINING
BY_MANAGER, BY_WHIP, BY_MO = (
    InformalAction.GivenBy.MANAGER,
    InformalAction.GivenBy.WHIP,
    InformalAction.GivenBy.MONITORING_OFFICER,
)
GROUP_ACTION, COMMITTEE_REMOVAL = Sanction.Kind.GROUP_DISCIPLINARY, Sanction.Kind.COMMITTEE_REMOVAL
PROHIBITION, DISCIPLINARY = Sanction.Kind.CONTACT_PROHIBITION, Sanction.Kind.OFFICER_DISCIPLINARY
# The behaviours of migration 0004 (DESIGN §4), by the names concerns cite.
INTEGRITY, OBJECTIVITY, OPENNESS, HONESTY, LEADERSHIP = "Integrity", "Objectivity", "Openness", "Honesty", "Leadership"
ACCOUNTABILITY = "Accountability"
CANDOUR = "Frankness and candour"
ROLES = "Respect and understanding of mutual roles"
COMMUNICATION = "An open and honest approach to communication"
COURTESY = "Dignity and courtesy"
DIRECTING = "Directing staff contrary to the scheme of delegation"
MISLEADING = "Misleading a committee"
BULLYING = "Bullying, harassment or intimidation"
CRITICISM = "Public criticism of an officer"
HOURS = "Pressure to work outside normal hours or role"
PERSONAL = "Using the relationship to advance personal interests"
OFFICER_CRITICISM = "An officer publicly criticising council decisions"
DATA = "Data protection"

INDEPENDENT_PERSON = "Dr Elaine Forsyth, Independent Person"

S = ConcernState
# The councillor with three concerns ended in informal action this year: a pattern (000 §VIII).
PATTERN = cllr(LAB, key="pattern")

CONCERN_STORIES = [
    # --- Open at stage 1: the two people talk first (001 §6.1, §6.2) -------------------
    ConcernStory(
        complainant=demo("councillor2"), subject=staff("Revenues and Benefits"), raised=3, expected=S.DIRECT,
        what="I rang {s}, {s_title}, about a resident's council tax arrears. {s_short} talked over me, said "
        "councillors 'always want special treatment for their voters' and put the phone down. I would like to talk "
        "to {s_short} about it before taking it any further.",
        behaviours=(COURTESY, COMMUNICATION),
    ),
    ConcernStory(
        complainant=staff("Housing"), subject=cllr(LAB), raised=5, expected=S.DIRECT,
        what="{s} came to the housing office reception without an appointment and insisted that I move a "
        "constituent up the housing register there and then. When I explained that banding is decided under the "
        "allocations policy, the councillor said they would 'go over my head'. I am happy to talk to the councillor "
        "about how to raise a case like this.",
        behaviours=(ROLES, DIRECTING),
    ),
    ConcernStory(
        complainant=cllr(LD), subject=staff("Planning and Building Control"), raised=2, expected=S.DIRECT,
        duties=True,
        what="I asked {s}, {s_title}, to come to an evening residents' meeting in {ward} about a contentious "
        "application. {s_short} refused, saying officers do not attend ward meetings on live applications. I think "
        "explaining the process to residents is part of the job; we disagree about what officers should do.",
        behaviours=(ROLES, HOURS),
    ),
    # --- Open at stage 2: line management (001 §6.1, §6.2) ---------------------------------
    ConcernStory(
        # head handles it: liaison's Head of Service.
        complainant=demo("liaison"), subject=cllr(CON), raised=4, expected=S.LINE_MANAGEMENT, feels_able=False,
        what="Over the past fortnight {s} has phoned my mobile most evenings and at weekends about an enquiry on "
        "flooding in {ward}, and on Friday sent an e-mail, copied to the Leader of the Council, calling me "
        "'obstructive and incompetent'. I do not feel able to raise it with the councillor directly.",
        behaviours=(BULLYING, HOURS, CRITICISM),
        steps=(
            (C.NOTE, 2, "Spoke to the {group} Leader, who will remind the councillor to use the enquiry process "
             "and office hours (001 §6.1, 002). Meeting with the councillor booked for next week."),
        ),
    ),
    ConcernStory(
        complainant=cllr(LAB), subject=staff("Highways and Transport"), raised=9, expected=S.LINE_MANAGEMENT,
        what="At a site meeting in {ward}, {s}, {s_title}, told residents that the traffic calming scheme had been "
        "'watered down because the councillors couldn't agree'. That is not what happened, and it undermined me "
        "in front of the residents I represent.",
        behaviours=(OFFICER_CRITICISM, ROLES),
        steps=(
            (C.ESCALATE, 6, "We spoke, but {s_short} stands by the remark and will not correct it with residents."),
        ),
    ),
    ConcernStory(
        complainant=staff("Waste and Recycling"), subject=cllr(CON), raised=8, expected=S.LINE_MANAGEMENT,
        duties=True,
        what="{s} has told the crews on the {ward} round to take side waste and overflowing bins, against the "
        "collection policy, and told residents I had agreed. Only the service can change the policy; the "
        "councillor says it is the ward councillor's call.",
        behaviours=(DIRECTING, ROLES),
        steps=((C.ESCALATE, 5, "We met, but we still disagree about who decides what the crews collect."),),
    ),
    # --- Open at stage 3: with the Monitoring Officer (000 §VIII) ---------------------------
    ConcernStory(
        # The pattern's fourth concern: whip joins the review.
        complainant=staff("Highways and Transport"), subject=PATTERN, raised=12, expected=S.MO_REVIEW,
        what="At the {ward} ward walkabout {s} shouted at me in front of residents about the state of the "
        "footways, called me 'useless', and that evening posted a photograph of me on social media with a caption "
        "saying I should be sacked.",
        behaviours=(BULLYING, CRITICISM, COURTESY),
        steps=(
            (C.ESCALATE, 10, "The councillor would not meet me, and the post is still up."),
            (C.ESCALATE, 6, "The councillor declined to meet me. Given earlier concerns about the same councillor, "
             "the Monitoring Officer should review it."),
        ),
    ),
    ConcernStory(
        # Overdue at stage 3; people.director joins (the subject is an officer). Shared with the subject.
        complainant=cllr(CON), subject=staff("Planning and Building Control"), raised=30, expected=S.MO_REVIEW,
        feels_able=False,
        what="I believe {s}, {s_title}, told the owner of a business in {ward} that I was the person who reported "
        "his breach of planning control, which I had raised in confidence. He has since confronted me in the "
        "street.",
        behaviours=(DATA, INTEGRITY),
        steps=(
            (C.NOTE, 28, "Met {s_short}, who denies naming the councillor; the business owner may have guessed "
             "from a site visit. Asked for the case file."),
            (C.ESCALATE, 24, "The accounts conflict and the case file does not settle it: the Monitoring Officer "
             "should review it with the Director of People Services."),
            (C.SHARE, 20, "Shared so that {s_short} can give an account to the review."),
            (C.NOTE, 10, "Waiting for the officer's written account, delayed by sick leave."),
        ),
    ),
    ConcernStory(
        # Safeguarding: straight to the Monitoring Officer.
        complainant=staff("Children's Social Care"), subject=cllr(LAB), raised=3, expected=S.MO_REVIEW,
        feels_able=False, safeguarding=True,
        what="{s} pressed me at a ward surgery for the address of the foster placement of a child from {ward}, "
        "saying the birth family were constituents and had a right to know. I refused. The councillor has since "
        "posted details on a local social media group that could identify the child.",
        behaviours=(DATA, BULLYING),
    ),
    ConcernStory(
        # An independent councillor: standards.chair joins instead of a Whip (000 §II.A).
        complainant=staff("Parks and Green Spaces"), subject=cllr(IND), raised=15, expected=S.MO_REVIEW,
        feels_able=False,
        what="{s} keeps demanding that I attend, in my own time, the weekend litter picks the councillor's "
        "residents' association organises, and at the last one introduced me to residents as 'the officer who "
        "lets the park go to ruin'.",
        behaviours=(HOURS, CRITICISM, COURTESY),
        steps=(
            (C.ESCALATE, 8, "The councillor told me it was none of line management's business, so the Monitoring "
             "Officer should take it with the Chair of Standards."),
        ),
    ),
    # --- Open at stage 4: a formal sanction to record --------------------------------------
    ConcernStory(
        # Overdue at stage 4: waiting for the group.
        complainant=staff("Waste and Recycling"), subject=cllr(CON), raised=40, expected=S.SANCTION,
        what="After I issued a fixed penalty notice for fly-tipping to a business in {ward}, {s} rang me to demand "
        "that it be withdrawn, said the owner was 'a friend of the party', and when I refused told me my 'card "
        "was marked'.",
        behaviours=(PERSONAL, BULLYING, INTEGRITY),
        steps=(
            (C.ESCALATE, 37, "The councillor would not discuss it with me."),
            (C.NOTE, 35, "Spoke to the {group} Leader, who has asked the councillor for an explanation (002)."),
            (C.ESCALATE, 32, "The councillor repeated the demand in writing after the Group Leader spoke to them."),
            (C.SHARE, 29, "Shared so that the councillor can respond before a decision is made."),
            (C.PROPOSE, 24, "Pressure to withdraw an enforcement notice for a friend is serious. The group's "
             "action and removal from committees are being discussed with the {group} Leader."),
            (C.NOTE, 16, "Waiting for the {group} Leader to confirm the group's action before the sanction is "
             "recorded."),
        ),
    ),
    ConcernStory(
        complainant=staff("Finance"), subject=cllr(LD), raised=16, expected=S.SANCTION, feels_able=False,
        what="{s} told the Audit and Governance Committee that I had 'hidden' the overspend from members, and "
        "repeated it to the local newspaper, although the figures were in the quarterly report the councillor "
        "had received.",
        behaviours=(CRITICISM, HONESTY, MISLEADING),
        steps=(
            (C.ESCALATE, 11, "The councillor has not corrected the record, and the newspaper has run the story."),
            (C.PROPOSE, 4, "A public accusation, repeated after the facts were pointed out: formal action to follow, "
             "after the {group} Whip has spoken to the Group Leader."),
        ),
    ),
    # --- Resolved at stage 1 --------------------------------------------------------------
    ConcernStory(
        complainant=demo("officer"), subject=cllr(CON), raised=120, expected=S.RESOLVED,
        what="{s} sent me four e-mails in one afternoon about a pothole repair in {ward}, copying in the local "
        "newspaper and saying I was 'sitting on my hands'.",
        behaviours=(COURTESY, CRITICISM),
        steps=(
            (C.RESOLVE, 117, "We met on site with my team manager. The councillor apologised for the tone of the "
             "e-mails and will send future requests through the enquiry process."),
        ),
    ),
    ConcernStory(
        complainant=cllr(LAB), subject=staff("Customer Services and Digital"), raised=200, expected=S.RESOLVED,
        what="When I rang the contact centre for a constituent, {s}, {s_title}, told me councillors have to wait "
        "in the queue like everyone else and ended the call.",
        behaviours=(COURTESY, ROLES),
        steps=(
            (C.RESOLVE, 198, "{s_short} explained that the call was cut off by the telephone system, not on "
             "purpose. We agreed that I will use the members' line in future."),
        ),
    ),
    ConcernStory(
        complainant=cllr(LD), subject=staff("Education and Skills"), raised=160, expected=S.RESOLVED, duties=True,
        what="I asked {s}, {s_title}, to come with a family from {ward} to their school admission appeal. {s_short} "
        "said officers cannot support one side at an appeal. I think it is the council's job to help families.",
        behaviours=(ROLES, CANDOUR),
        steps=(
            (C.RESOLVE, 156, "We talked it through. Officers cannot take a side at an appeal, but {s_short} has "
             "explained the process to the family and sent me the guidance for parents."),
        ),
    ),
    # --- Resolved at stage 2, the outcome told to the complainant (001 §6.1) ---------------
    ConcernStory(
        # councillor's own concern: the member sees the outcome.
        complainant=demo("councillor"), subject=staff("Housing"), raised=45, expected=S.RESOLVED, feels_able=False,
        what="After missing two appointments to inspect her damp flat, {s}, {s_title}, told my constituent that "
        "'councillors can't make repairs happen any faster' and that she was wasting her time contacting me.",
        behaviours=(COURTESY, ROLES, ACCOUNTABILITY),
        steps=(
            (C.NOTE, 43, "Met {s_short} and reviewed the repair file."),
            (C.RESOLVE, 40, "I have met {s_short} and reviewed the file. The inspection was rescheduled twice without "
             "the tenant being told, which should not have happened, and the remark about councillors was wrong. "
             "{s_short} has apologised to your constituent, and the team now confirms every appointment by text. "
             "I am sorry for the distress caused to her and to you."),
        ),
    ),
    ConcernStory(
        # head resolves it.
        complainant=staff("Highways and Transport"), subject=cllr(LAB), raised=90, expected=S.RESOLVED,
        what="At a public meeting in {ward}, {s} said that officers had 'invented' the speed survey results to "
        "justify not lowering the speed limit.",
        behaviours=(CRITICISM, HONESTY),
        steps=(
            (C.ESCALATE, 87, "The councillor would not discuss it and repeated the claim in a newsletter."),
            (C.RESOLVE, 82, "I met the councillor with the {group} Leader. The councillor accepts that the survey is "
             "professional advice, has apologised to you, and will correct the claim in the next newsletter."),
        ),
    ),
    ConcernStory(
        complainant=staff("Planning and Building Control"), subject=cllr(CON), raised=150, expected=S.RESOLVED,
        feels_able=False, duties=True,
        what="{s} insists that every householder application in {ward} should go to the Planning Committee and has "
        "told applicants I am refusing to let them be heard. The scheme of delegation says otherwise.",
        behaviours=(DIRECTING, ROLES),
        steps=(
            (C.RESOLVE, 145, "I have explained the scheme of delegation to the councillor, who can call an "
             "application in to committee, with planning reasons, within the consultation period. The councillor "
             "has agreed to do so in that way and to stop telling applicants otherwise."),
        ),
    ),
    ConcernStory(
        # The Monitoring Officer hands it to assistant.director, who resolves it.
        complainant=cllr(CON), subject=staff("Highways and Transport"), raised=70, expected=S.RESOLVED,
        what="At a school-run safety meeting in {ward}, {s}, {s_title}, dismissed the parents' concerns about "
        "speeding as 'anecdote' and told me councillors should leave road safety to the experts.",
        behaviours=(COURTESY, ROLES),
        steps=(
            (C.ESCALATE, 68, "{s_short} thinks the remark was fair comment."),
            (C.REASSIGN, 67, demo("assistant.director"), "The Head of Highways and Transport chaired the meeting, "
             "so the Assistant Director takes this stage."),
            (C.RESOLVE, 62, "I have spoken to {s_short}, who accepts that the remark came across as dismissive and "
             "has written to the parents. The Road Safety team will present the speed data at the next school "
             "meeting."),
        ),
    ),
    ConcernStory(
        # Nobody recorded the talk: the sweep moved it to line management.
        complainant=cllr(LAB), subject=staff("Parks and Green Spaces"), raised=60, expected=S.RESOLVED,
        what="{s}, {s_title}, felled two trees on the green in {ward} that I had been told would be kept, and has "
        "not answered my e-mails about it.",
        behaviours=(COMMUNICATION, ACCOUNTABILITY),
        steps=(
            (C.RESOLVE, 45, "The trees had advanced ash dieback and were next to a footpath, so they had to come "
             "down; you should have been told before the work, and the service now tells ward councillors of all "
             "felling in advance. Replacement planting is booked for the autumn."),
        ),
    ),
    # --- Resolved at stage 3, after the sweep moved it on from line management -------------
    ConcernStory(
        complainant=staff("Housing"), subject=cllr(CON), raised=100, expected=S.RESOLVED, feels_able=False,
        what="{s} has asked me three times for the names of the tenants in arrears on an estate in {ward}, saying "
        "ward councillors are entitled to know.",
        behaviours=(DATA, ROLES),
        steps=(
            (C.RESOLVE, 85, "Reviewed with the {group} Whip. The councillor accepts that tenants' personal data is "
             "shared only with their consent (001 §8) and has stopped asking. No further action."),
        ),
    ),
    # --- Informal action (000 §VIII): three of them the pattern ----------------------------
    ConcernStory(
        complainant=staff("Housing"), subject=PATTERN, raised=200, expected=S.INFORMAL_ACTION,
        what="{s} told a tenant in {ward}, in front of me, that I was 'the reason nothing gets fixed round here' "
        "and that the councillor would have me moved off the patch.",
        behaviours=(CRITICISM, COURTESY),
        steps=(
            (C.ESCALATE, 198, "The councillor refused to discuss it."),
            (C.ESCALATE, 194, "Line management could not settle it: the councillor will not meet."),
            (C.INFORMAL, 188, ((ADVICE, BY_WHIP, "The {group} Whip spoke to the councillor about criticising "
             "officers in front of residents (001 §5.1)."),),
             "The councillor's Whip has spoken to the councillor about the remarks, and the councillor has been "
             "reminded of the protocol."),
        ),
    ),
    ConcernStory(
        complainant=staff("Planning and Building Control"), subject=PATTERN, raised=125,
        expected=S.INFORMAL_ACTION, feels_able=False,
        what="{s} rang me twice at home about an application in {ward} and said that if I did not recommend "
        "refusal the councillor would 'make it known' that I was in the developer's pocket.",
        behaviours=(BULLYING, DIRECTING, HOURS),
        steps=(
            (C.ESCALATE, 121, "The councillor denies any threat: the Monitoring Officer should review it."),
            (C.INFORMAL, 115, (
                (ADVICE, BY_MO, "The Monitoring Officer advised the councillor on contact with planning officers "
                 "and the planning code."),
                (TRAINING, "", "Planning code of conduct training for councillors, booked for next month."),
            ), "The Monitoring Officer has given the councillor words of advice, and the councillor will attend "
               "planning conduct training."),
        ),
    ),
    ConcernStory(
        complainant=staff("Revenues and Benefits"), subject=PATTERN, raised=55, expected=S.INFORMAL_ACTION,
        what="{s} demanded that I suspend recovery action against a constituent's business and, when I explained I "
        "could not, said it would be raised at full Council that I was 'hounding local traders'.",
        behaviours=(DIRECTING, CRITICISM),
        steps=(
            (C.ESCALATE, 53, "The councillor will not discuss it with me."),
            (C.ESCALATE, 50, "A third concern about the same councillor this year: the Monitoring Officer should "
             "review it."),
            (C.SHARE, 48, "Shared with the councillor before the review meeting."),
            (C.INFORMAL, 45, (
                (ADVICE, BY_MO, "Words of advice on directing officers and criticising them publicly."),
                (TRAINING, "", "Member-Officer Protocol refresher with the Monitoring Officer."),
            ), "The Monitoring Officer has given the councillor words of advice and a protocol refresher. The "
               "Monitoring Officer will consider formal steps if it happens again."),
        ),
    ),
    ConcernStory(
        complainant=staff("Early Help and Family Support"), subject=cllr(LD), raised=140,
        expected=S.INFORMAL_ACTION, feels_able=False,
        what="{s} asked me to put up posters for the councillor's surgery in the family hub and to hand out the "
        "councillor's newsletter to parents.",
        behaviours=("Asking officers for party-political work", ROLES),
        steps=(
            (C.ESCALATE, 136, "The councillor says the newsletter is not party-political; I disagree."),
            (C.INFORMAL, 131, ((ADVICE, BY_WHIP, "The {group} Whip explained to the councillor why officers cannot "
             "distribute councillors' newsletters (001 §4.1(c))."),),
             "The councillor's Whip has spoken to the councillor, and the posters and newsletters have been taken "
             "down."),
        ),
    ),
    ConcernStory(
        # An officer's informal action: words from the manager, and training. people.director joins.
        complainant=cllr(CON), subject=staff("Waste and Recycling"), raised=175, expected=S.INFORMAL_ACTION,
        what="When I reported missed collections in {ward}, {s}, {s_title}, told me councillors 'always exaggerate' "
        "and that residents should report things themselves.",
        behaviours=(COURTESY, ROLES),
        steps=(
            (C.ESCALATE, 173, "{s_short} repeated the remark when we spoke."),
            (C.ESCALATE, 169, "The officer's manager asks the Monitoring Officer to look at it with HR."),
            (C.INFORMAL, 164, (
                (ADVICE, BY_MANAGER, "{s_short}'s manager gave words of advice on working with councillors."),
                (TRAINING, "", "Working with councillors e-learning, and shadowing the Councillor Liaison Officer."),
            ), "{s_short}'s manager has spoken to {s_short}, who will complete training on working with "
               "councillors."),
        ),
    ),
    ConcernStory(
        # Nobody handled stage 2: the sweep sent it to the Monitoring Officer.
        complainant=staff("Education and Skills"), subject=cllr(LAB), raised=80, expected=S.INFORMAL_ACTION,
        feels_able=False, duties=True,
        what="{s} expects me to attend the governing body meetings of every school in {ward} to report on "
        "admissions, which is not part of my role, and complains to the schools when I do not.",
        behaviours=(HOURS, ROLES),
        steps=(
            (C.INFORMAL, 66, ((ADVICE, BY_MO, "The Monitoring Officer explained to the councillor the respective "
             "roles of officers and governors."),),
             "The Monitoring Officer has advised the councillor on officers' roles. Admissions reports will go to "
             "governors in writing each term."),
        ),
    ),
    # --- Formal action: every kind of sanction (000 §VIII) -----------------------------------
    ConcernStory(
        complainant=staff("Customer Services and Digital"), subject=cllr(CON), raised=180,
        expected=S.FORMAL_ACTION, feels_able=False,
        what="{s} forwarded my complaint response to a constituent with comments questioning my competence, and "
        "asked me in front of colleagues whether I had been 'disciplined before'.",
        behaviours=(CRITICISM, BULLYING, COURTESY),
        steps=(
            (C.ESCALATE, 175, "The councillor's conduct towards a junior officer needs the Monitoring Officer."),
            (C.PROPOSE, 168, "Demeaning a junior officer in front of colleagues: formal action, agreed with the "
             "{group} Whip."),
            (C.SANCTION, 162, (SanctionPlan(GROUP_ACTION, "The {group} has suspended the councillor from the group "
             "for three months."),),
             "Formal action has been taken: the councillor's political group has taken disciplinary action."),
        ),
    ),
    ConcernStory(
        complainant=staff("Planning and Building Control"), subject=cllr(LAB, committee="Planning Committee"),
        raised=110, expected=S.FORMAL_ACTION,
        what="Before the Planning Committee considered a major application in {ward}, {s} told me to change my "
        "recommendation to refusal, and said that otherwise the councillor would make sure the committee knew "
        "'whose side I was on'.",
        behaviours=(DIRECTING, OBJECTIVITY, INTEGRITY),
        steps=(
            (C.ESCALATE, 108, "The councillor says it was friendly advice."),
            (C.ESCALATE, 104, "An attempt to direct a planning recommendation: for the Monitoring Officer."),
            (C.PROPOSE, 98, "Pressure on a planning officer's recommendation goes to the integrity of the "
             "committee's decisions."),
            (C.SANCTION, 93, (SanctionPlan(COMMITTEE_REMOVAL, "Removed by the {group} at the Monitoring Officer's "
             "request.", committees=("Planning Committee",)),),
             "Formal action has been taken: the councillor has been removed from the Planning Committee."),
        ),
    ),
    ConcernStory(
        # A contact prohibition that has ended.
        complainant=staff("Children's Social Care"), subject=cllr(CON, never_asked="Children's Social Care"),
        raised=150, expected=S.FORMAL_ACTION, feels_able=False,
        what="{s} has contacted me directly nine times about a family in {ward} whose case I hold, turned up at "
        "my office unannounced, and after I asked the councillor to use the enquiry process sent me messages "
        "calling me 'heartless'.",
        behaviours=(BULLYING, ROLES),
        steps=(
            (C.ESCALATE, 146, "The councillor has continued to contact the officer directly."),
            (C.PROPOSE, 141, "Repeated direct contact after being asked to stop: a contact prohibition."),
            (C.SANCTION, 137, (SanctionPlan(PROHIBITION, "The councillor may raise the family's concerns through "
             "the Monitoring Officer's office.", scope=ContactProhibition.Scope.OFFICER, lasts=91),),
             "Formal action has been taken: the councillor may not contact you for three months."),
        ),
    ),
    ConcernStory(
        # A contact prohibition in force, for a period covering today.
        complainant=staff("Commissioning and Quality"), subject=cllr(LAB, never_asked="Commissioning and Quality"),
        raised=45, expected=S.FORMAL_ACTION, feels_able=False,
        what="{s}, whose family runs a care home in {ward}, has repeatedly asked my team to delay quality visits "
        "to the home and to 'soften' our findings, without declaring the interest.",
        behaviours=(PERSONAL, "Undeclared personal relationship", INTEGRITY),
        steps=(
            (C.ESCALATE, 41, "An undeclared interest in a service we regulate: for the Monitoring Officer."),
            (C.SHARE, 39, "Shared so that the councillor can respond."),
            (C.PROPOSE, 36, "An undeclared interest used to influence officers' regulatory work."),
            (C.SANCTION, 33, (SanctionPlan(PROHIBITION, "Enquiries about the service go through the Monitoring "
             "Officer's office.", scope=ContactProhibition.Scope.SERVICE, service="Commissioning and Quality",
             lasts=183),),
             "Formal action has been taken: the councillor may not contact the officers of Commissioning and "
             "Quality for six months."),
        ),
    ),
    ConcernStory(
        # A contact prohibition with no end date.
        complainant=staff("Early Help and Family Support"),
        subject=cllr(CON, never_asked="Early Help and Family Support"),
        raised=75, expected=S.FORMAL_ACTION, feels_able=False,
        what="Since I spoke at the youth services review, {s} has sent me more than forty messages on my personal "
        "social media, some late at night, and has twice turned up at the youth club where I work.",
        behaviours=(BULLYING, HOURS),
        steps=(
            (C.ESCALATE, 72, "Harassment of an officer outside work: for the Monitoring Officer."),
            (C.PROPOSE, 68, "Sustained harassment of an officer."),
            (C.SANCTION, 66, (
                SanctionPlan(PROHIBITION, "Until the Monitoring Officer decides otherwise.",
                             scope=ContactProhibition.Scope.OFFICER),
                SanctionPlan(GROUP_ACTION, "The {group} has withdrawn the whip from the councillor."),
            ), "Formal action has been taken: the councillor may not contact you, with no end date, and the "
               "councillor's group has taken disciplinary action."),
        ),
    ),
    ConcernStory(
        # An officer's formal disciplinary action: a reference, not the HR file.
        complainant=cllr(LAB), subject=staff("Revenues and Benefits"), raised=95, expected=S.FORMAL_ACTION,
        feels_able=False,
        what="{s}, {s_title}, discussed my constituent's benefit claim, including her health conditions, with a "
        "neighbour of hers, who then told others on the estate.",
        behaviours=(DATA, INTEGRITY),
        steps=(
            (C.ESCALATE, 91, "A possible data breach: for the Monitoring Officer and the Director of People "
             "Services."),
            (C.PROPOSE, 86, "A serious breach of confidentiality by an officer: formal action under the "
             "employment procedures."),
            (C.SANCTION, 80, (SanctionPlan(DISCIPLINARY, "Handled under the disciplinary procedure by People "
             "Services.", reference="PS/ER/0417"),),
             "Formal action has been taken under the council's employment procedures. The details are "
             "confidential to the officer."),
        ),
    ),
    # --- Referred outside the council ------------------------------------------------------
    ConcernStory(
        # A formal standards complaint, with the Independent Person; standards.chair joins.
        complainant=staff("Housing"), subject=cllr(IND), raised=130, expected=S.REFERRED, feels_able=False,
        what="At a tenants' meeting in {ward}, {s} accused me by name of lying about the repairs backlog and "
        "encouraged tenants to film me, and the film was posted online.",
        behaviours=(BULLYING, CRITICISM, LEADERSHIP),
        steps=(
            (C.ESCALATE, 127, "The councillor refuses to take the video down."),
            (C.SHARE, 125, "Shared with the councillor before the decision on referral."),
            (C.REFER, 121, ExternalReferral.Kind.STANDARDS_COMPLAINT, "Referred for assessment under the "
             "council's arrangements for standards allegations (Localism Act 2011). The Independent Person's views "
             "were sought before the decision.", INDEPENDENT_PERSON,
             "Your concern has become a formal complaint under the Members' Code of Conduct. The Monitoring "
             "Officer will tell you the outcome of the assessment."),
        ),
    ),
    ConcernStory(
        complainant=staff("Adult Social Care"), subject=cllr(LAB), raised=65, expected=S.REFERRED,
        feels_able=False, safeguarding=True,
        what="{s} has been helping an elderly resident in {ward} with her finances and asked me not to record the "
        "councillor's involvement in her care assessment.",
        behaviours=(PERSONAL, INTEGRITY),
        steps=(
            (C.REFER, 63, ExternalReferral.Kind.SAFEGUARDING, "Referred to the Safeguarding Adults team under the "
             "multi-agency procedures.", "",
             "Your concern has been referred to the Safeguarding Adults team, who will contact you."),
        ),
    ),
    ConcernStory(
        # Referred by the line manager at stage 2.
        complainant=staff("Waste and Recycling"), subject=cllr(LAB), raised=28, expected=S.REFERRED,
        feels_able=False,
        what="After I refused to send a crew to clear a private car park, {s} left me a voicemail threatening to "
        "'sort me out' when I was next in {ward}.",
        behaviours=(BULLYING,),
        steps=(
            (C.REFER, 26, ExternalReferral.Kind.POLICE, "The voicemail was reported to the police with the "
             "officer's agreement; the council will support the officer.", "",
             "The threat has been reported to the police, and your manager will keep in touch with you."),
        ),
    ),
    # --- Withdrawn ----------------------------------------------------------------------
    ConcernStory(
        complainant=demo("independent"), subject=staff("Parks and Green Spaces"), raised=35, expected=S.WITHDRAWN,
        what="{s}, {s_title}, told a community group in {ward} that their bulb-planting day could not go ahead "
        "because I had 'not filled in the right form', which was not true.",
        behaviours=(HONESTY, COMMUNICATION),
        steps=((C.WITHDRAW, 33, "The planting day went ahead after all, and I do not want to take it further."),),
    ),
    ConcernStory(
        complainant=staff("Housing"), subject=cllr(LAB), raised=24, expected=S.WITHDRAWN, feels_able=False,
        what="{s} copies me into e-mails to tenants about their cases, including other tenants' details.",
        behaviours=(DATA,),
        steps=((C.WITHDRAW, 20, "I have moved to another team and no longer deal with the councillor's casework."),),
    ),
]  # fmt: skip

POSITIVE_STORIES = [
    # --- With the Assistant Director ------------------------------------------------------
    PositiveStory(
        recorded_by=demo("councillor"), service="Highways and Transport", recorded=3,
        members=(demo("councillor"),), officers=(demo("officer"), demo("liaison")),
        title="Dropped kerb assessed and scheduled within a week",
        what="When I raised a resident's need for a dropped kerb, {o_short} visited the same week, explained the "
        "criteria to the resident in person, and the Councillor Liaison Officer kept me informed at every step.",
    ),
    PositiveStory(
        recorded_by=staff("Housing"), service="Housing", recorded=6, members=(cllr(LAB),),
        title="Joint visit settled a long-running repair dispute",
        what="{m} came with me to a tenant in {ward} whose repairs had gone wrong several times. The councillor "
        "listened to both sides, helped the tenant agree a plan, and thanked the repairs team afterwards.",
    ),
    PositiveStory(
        recorded_by=demo("councillor2"), service="Adult Social Care", recorded=2,
        officers=(staff("Adult Social Care"),),
        title="Care package arranged over a weekend",
        what="{o}, {o_title}, arranged care for a constituent discharged from hospital on a Friday evening, and "
        "rang me on Monday to say it was in place.",
    ),
    PositiveStory(
        recorded_by=demo("officer"), service="Highways and Transport", recorded=9, members=(cllr(CON),),
        title="Local knowledge helped target gully cleaning",
        what="{m} walked the flood-prone streets of {ward} with me and pointed out the gullies residents had been "
        "reporting for years. We cleared eleven of them before the storms.",
    ),
    # --- With the Monitoring Officer --------------------------------------------------------
    PositiveStory(
        recorded_by=staff("Planning and Building Control"), service="Planning and Building Control", recorded=16,
        members=(cllr(LD),), forwarded=(12, "A model of robust and respectful challenge (000 §IV)."),
        title="Respectful challenge at the Planning Committee",
        what="{m} disagreed with my recommendation on a major application, but set out the planning reasons in "
        "advance, asked questions at committee that helped everyone, and thanked me afterwards.",
    ),
    PositiveStory(
        recorded_by=cllr(LAB), service="Waste and Recycling", recorded=10, officers=(staff("Waste and Recycling"),),
        forwarded=(6, "The crew has been thanked personally."),
        title="Bulky waste day organised with residents",
        what="{o}, {o_title}, helped me organise a bulky waste collection day in {ward} at short notice, and "
        "stayed to talk to residents about recycling.",
    ),
    PositiveStory(
        recorded_by=staff("Education and Skills"), service="Education and Skills", recorded=20,
        members=(cllr(CON),), forwarded=(14, "Worth sharing with the other ward councillors."),
        title="School place appeals explained clearly to families",
        what="{m} asked me to explain the appeals process at a drop-in for families in {ward}, then let me lead it "
        "and kept to the councillor's role of supporting residents.",
    ),
    # --- Recorded for the protocol's reports ---------------------------------------------------
    PositiveStory(
        recorded_by=staff("Early Help and Family Support"), service="Early Help and Family Support", recorded=150,
        members=(cllr(LAB),), forwarded=(146, "Thank you: a lovely example."),
        acknowledged=(140, "Recorded; suitable for the annual report with the councillor's agreement.", True),
        title="Councillor championed the new family hub",
        what="{m} spent an afternoon at the family hub in {ward}, listened to parents and staff, and then made "
        "the case for longer opening hours through the proper channels.",
    ),
    PositiveStory(
        recorded_by=cllr(LD), service="Revenues and Benefits", recorded=190, officers=(staff("Revenues and Benefits"),),
        forwarded=(185, "Passed on with thanks."), acknowledged=(180, "Recorded.", False),
        title="Benefit backlog cleared for a vulnerable resident",
        what="{o}, {o_title}, sorted out a constituent's housing benefit after months of problems, and explained "
        "to me what had gone wrong so I could reassure her.",
    ),
    PositiveStory(
        recorded_by=demo("head"), service="Highways and Transport", recorded=90, members=(demo("councillor"),),
        forwarded=(87, "Good practice for all ward briefings."),
        acknowledged=(82, "Recorded; a good example for the annual report.", True),
        title="Ward briefing on the resurfacing programme",
        what="{m} asked for a briefing on the resurfacing programme for {ward}, shared it with residents "
        "accurately, and credited the team in the ward newsletter.",
    ),
    PositiveStory(
        recorded_by=demo("independent"), service="Parks and Green Spaces", recorded=60,
        officers=(staff("Parks and Green Spaces"),), forwarded=(55, "Thank you."),
        acknowledged=(50, "Recorded.", False),
        title="Park rangers supported a community clean-up",
        what="{o}, {o_title}, lent equipment and gave up a Saturday morning to support the residents' clean-up in "
        "{ward}.",
    ),
    PositiveStory(
        recorded_by=cllr(LAB), service="Customer Services and Digital", recorded=220,
        officers=(staff("Customer Services and Digital"),), forwarded=(214, "A great example of the members' line."),
        acknowledged=(205, "Recorded; for the annual report.", True),
        title="Members' line answered an urgent call out of hours",
        what="{o}, {o_title}, answered my urgent call about a resident with no heating late on a Friday and made "
        "sure the emergency repair team went out that evening.",
    ),
]  # fmt: skip


class _ConcernDrawer:
    """Draws the people of each story from the council's plan, and their moments."""

    def __init__(self, rng: random.Random, plan: council.CouncilPlan, enquiries: list[EnquiryPlan]) -> None:
        self.rng = rng
        self.people = {person.username: person for person in plan.people}
        self.member_plans = {member.person.username: member for member in plan.members}
        self.officer_plans = {officer.person.username: officer for officer in plan.officers}
        self.group_names = {short: name for name, short in council.GROUPS}
        whips = {username for usernames in plan.group_whips.values() for username in usernames}
        self.councillors = {
            party: [
                m.person.username
                for m in plan.members
                if m.party == party and not m.person.is_demo and m.person.username not in whips
            ]
            for party in [*self.group_names, IND]
        }
        # Officers who manage no one and are not liaison officers: the people the stories are about.
        managers = {officer.manager for officer in plan.officers}
        not_staff = managers | {username for service in plan.services for username in service.liaison_officers}
        self.staff = {
            service.name: [
                o.person.username
                for o in plan.officers
                if o.service == service.name
                and not o.is_senior
                and not o.person.is_demo
                and o.person.username not in not_staff
            ]
            for service in plan.services
        }
        self.committees = {committee.name: set(committee.members) for committee in plan.committees}
        self.asked: dict[str, set[str]] = defaultdict(set)
        for enquiry in enquiries:
            self.asked[enquiry.member].add(enquiry.service)
        self.keyed: dict[str, str] = {}
        self.used: set[str] = set()

    def person(self, who: Who) -> str:
        if who.username:
            return who.username
        if who.key in self.keyed:
            return self.keyed[who.key]
        if who.party:
            pool = [
                username
                for username in self.councillors[who.party]
                if (not who.committee or username in self.committees[who.committee])
                and (not who.never_asked or who.never_asked not in self.asked[username])
            ]
        else:
            pool = self.staff[who.service]
        if not pool:
            raise ValueError(f"No one in the demo council fits {who}")
        # Someone new to the stories where possible (the smaller groups run out), so that only
        # the pattern's councillor is the subject of several informal actions.
        fresh = [username for username in pool if username not in self.used]
        username = self.rng.choice(fresh or pool)
        self.used.add(username)
        if who.key:
            self.keyed[who.key] = username
        return username

    def _about(self, prefix: str, username: str) -> dict[str, str]:
        person = self.people[username]
        if username in self.member_plans:
            return {
                prefix: f"Cllr {person.first_name} {person.last_name}",
                f"{prefix}_short": f"Cllr {person.last_name}",
                f"{prefix}_title": "councillor",
            }
        return {
            prefix: f"{person.first_name} {person.last_name}",
            f"{prefix}_short": person.first_name,
            f"{prefix}_title": self.officer_plans[username].job_title,
        }

    def _member_words(self, username: str | None) -> dict[str, str]:
        if username is None:
            return {}
        member = self.member_plans[username]
        group = self.group_names.get(member.party)
        return {"ward": member.ward, "group": f"{group} Group" if group else "councillor's group"}

    def concern(self, story: ConcernStory) -> ConcernPlan:
        complainant, subject = self.person(story.complainant), self.person(story.subject)
        member, officer = (complainant, subject) if complainant in self.member_plans else (subject, complainant)
        words = self._about("c", complainant) | self._about("s", subject) | self._member_words(member)
        words["service"] = self.officer_plans[officer].service
        clock = _Clock(self.rng, story.raised, self.rng.randint(OPENS, CLOSES))
        minute = clock.minute
        steps = tuple(self._concern_step(step, clock, words, complainant) for step in story.steps)
        return ConcernPlan(
            complainant=complainant,
            subject=subject,
            duties=story.duties,
            raised=story.raised,
            minute=minute,
            occurred_days_before=self.rng.randint(0, 4),
            what_happened=story.what.format(**words),
            behaviours=story.behaviours,
            feels_able_to_talk=story.feels_able,
            safeguarding=story.safeguarding,
            steps=steps,
            expected=story.expected,
        )

    def _concern_step(self, step: tuple, clock: _Clock, words: dict[str, str], complainant: str) -> ConcernStep:
        action, day, *args = step
        moment = clock.at(day)
        if action == C.REASSIGN:
            new_handler, reason = args
            return ConcernStep(action, *moment, officer=self.person(new_handler), text=reason.format(**words))
        if action == C.INFORMAL:
            informal, outcome = args
            informal = tuple((kind, given_by, details.format(**words)) for kind, given_by, details in informal)
            return ConcernStep(action, *moment, informal=informal, outcome=outcome.format(**words))
        if action == C.SANCTION:
            sanctions, outcome = args
            sanctions = tuple(
                replace(
                    sanction,
                    details=sanction.details.format(**words),
                    officer=complainant if sanction.scope == ContactProhibition.Scope.OFFICER else "",
                )
                for sanction in sanctions
            )
            return ConcernStep(action, *moment, sanctions=sanctions, outcome=outcome.format(**words))
        if action == C.REFER:
            kind, details, independent_person, outcome = args
            return ConcernStep(
                action,
                *moment,
                referral=kind,
                text=details.format(**words),
                independent_person=independent_person,
                outcome=outcome.format(**words),
            )
        (text,) = args
        return ConcernStep(action, *moment, text=text.format(**words))

    def example(self, story: PositiveStory) -> PositivePlan:
        recorded_by = self.person(story.recorded_by)
        members = tuple(self.person(who) for who in story.members)
        officers = tuple(self.person(who) for who in story.officers)
        words = self._member_words(members[0] if members else None)
        if members:
            words |= self._about("m", members[0])
        if officers:
            words |= self._about("o", officers[0])
        if "ward" not in words and recorded_by in self.member_plans:
            words |= self._member_words(recorded_by)
        clock = _Clock(self.rng, story.recorded, self.rng.randint(OPENS, CLOSES))
        minute = clock.minute
        forwarded = acknowledged = None
        if story.forwarded:
            day, comment = story.forwarded
            forwarded = (*clock.at(day), comment)
        if story.acknowledged:
            day, comment, publishable = story.acknowledged
            acknowledged = (*clock.at(day), comment, publishable)
        return PositivePlan(
            recorded_by=recorded_by,
            service=story.service,
            recorded=story.recorded,
            minute=minute,
            happened_days_before=self.rng.randint(1, 10),
            title=story.title,
            what_happened=story.what.format(**words),
            members=members,
            officers=officers,
            forwarded=forwarded,
            acknowledged=acknowledged,
        )


@dataclass(frozen=True)
class DemoConcernsPlan:
    concerns: list[ConcernPlan]
    examples: list[PositivePlan]


def plan_demo_concerns() -> DemoConcernsPlan:
    """Every demo concern and positive example, drawn in memory: the same every time."""
    drawer = _ConcernDrawer(random.Random(SEED + 1), council.plan_demo_council(), plan_demo_enquiries())
    concerns = [drawer.concern(story) for story in CONCERN_STORIES]
    examples = [drawer.example(story) for story in POSITIVE_STORIES]
    return DemoConcernsPlan(concerns=concerns, examples=examples)


# --- Writing the concerns ---------------------------------------------------------------


@dataclass
class ConcernsSummary:
    created: bool
    counts: dict[str, int]  # concern state label -> concerns in it
    sanctions: int
    examples: dict[str, int]  # positive example state label -> examples in it


def concern_counts() -> ConcernsSummary:
    by_state = dict(Concern.objects.order_by().values_list("state").annotate(n=Count("pk")))
    examples = dict(PositiveExample.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return ConcernsSummary(
        created=False,
        counts={state.label: by_state[state.value] for state in ConcernState if by_state.get(state.value)},
        sanctions=Sanction.objects.count(),
        examples={state.label: examples[state.value] for state in PositiveExampleState if examples.get(state.value)},
    )


@transaction.atomic
def build_demo_concerns(*, now: datetime | None = None) -> ConcernsSummary:
    """Raise the demo concerns and record the positive examples, playing out their stories,
    unless there are concerns or positive examples already."""
    if Concern.objects.exists() or PositiveExample.objects.exists():
        return concern_counts()
    now = now or timezone.now()
    plan = plan_demo_concerns()
    back = max([c.raised for c in plan.concerns] + [e.recorded for e in plan.examples])
    days = _WorkingDays(council_calendar(), today=local_date(now), back=back)
    builder = _ConcernBuilder(days, now=now)
    with notifications.recording_history():
        # In the order they happened, so references run in date order.
        for concern in sorted(plan.concerns, key=lambda concern: (-concern.raised, concern.minute)):
            builder.build_concern(concern)
        for example in sorted(plan.examples, key=lambda example: (-example.recorded, example.minute)):
            builder.build_example(example)
    _settle_notifications(
        days, Notification.objects.filter(Q(concern__isnull=False) | Q(positive_example__isnull=False))
    )
    return replace(concern_counts(), created=True)


def history_swept() -> None:
    """What a sweep of the demo's past leaves for after commit: nothing. The notifications it
    wrote were recorded as already e-mailed (``recording_history``)."""


class _HistorySweep(ConcernSweep):
    """The portal's concern deadline sweep (cases.deadlines), for one concern, at a moment
    in its past: the reminders and climbs it would have made then."""

    def __init__(self, concern_id: int) -> None:
        self.concern_id = concern_id

    def open_cases(self):
        return super().open_cases().filter(pk=self.concern_id)

    after_commit = staticmethod(history_swept)


class _ConcernBuilder:
    """Drives each planned concern through cases.concern_services, at the planned moments."""

    def __init__(self, days: _WorkingDays, *, now: datetime) -> None:
        self.days, self.now = days, now
        self.zone = timezone.get_default_timezone()
        users = get_user_model().objects.select_related("officer", "member")
        self.users = {user.username: user for user in users}
        self.users_by_pk = {user.pk: user for user in self.users.values()}
        self.services = {service.name: service for service in Service.objects.all()}
        self.committees = {committee.name: committee for committee in Committee.objects.all()}
        self.behaviours = {behaviour.name: behaviour for behaviour in Behaviour.objects.all()}
        self.monitoring_officer = self.users_by_pk[monitoring_officer().user_id]
        self.actions: dict[ConcernAction, Callable[[Concern, ConcernStep, datetime], Concern]] = {
            C.ESCALATE: self._escalate,
            C.NOTE: self._note,
            C.REASSIGN: self._reassign,
            C.SHARE: self._share,
            C.RESOLVE: self._resolve,
            C.INFORMAL: self._informal,
            C.PROPOSE: self._propose,
            C.SANCTION: self._sanction,
            C.REFER: self._refer,
            C.WITHDRAW: self._withdraw,
        }

    def moment(self, day: int, minute: int) -> datetime:
        return datetime.combine(self.days.date(day), time(minute // 60, minute % 60), tzinfo=self.zone)

    def build_concern(self, plan: ConcernPlan) -> Concern:
        complainant, subject = self.users[plan.complainant], self.users[plan.subject]
        subject_member = getattr(subject, "member", None)
        raised = self.moment(plan.raised, plan.minute)
        concern = concern_services.concern_raise(
            raised_by=complainant,
            about_member=subject_member,
            about_officer=None if subject_member else subject.officer,
            duties=plan.duties,
            occurred_on=local_date(raised) - timedelta(days=plan.occurred_days_before),
            what_happened=plan.what_happened,
            # An administrator may have renamed a behaviour: the concern cites the rest.
            behaviours=[self.behaviours[name] for name in plan.behaviours if name in self.behaviours],
            feels_able_to_talk=plan.feels_able_to_talk,
            safeguarding=plan.safeguarding,
            now=raised,
        )
        for step in plan.steps:
            now = self.moment(step.day, step.minute)
            concern = self._swept_until(concern, now)
            try:
                concern = self.actions[step.action](concern, step, now)
            except (PermissionDenied, TransitionNotAllowed):
                # With a stage target shorter than the stories assume, the sweep moved the
                # concern on before this step: the story ends here.
                break
        return self._swept_until(concern, self.now)

    def _swept_until(self, concern: Concern, until: datetime) -> Concern:
        """Run the deadline sweep for this concern at each moment a reminder or a climb fell
        due before ``until``, as the portal's sweep would have; the concern as it now is."""
        while True:
            concern = Concern.objects.select_related("owner__user").get(pk=concern.pk)
            due = [at for at in (concern.remind_at, concern.escalate_at) if at is not None and at <= until]
            if not due:
                return concern
            sweep(_HistorySweep(concern.pk), now=min(due), batch_size=1)

    def complainant(self, concern: Concern):
        return self.users_by_pk[concern.complainant_user_id]

    def handler(self, concern: Concern):
        """Whoever handles the current stage: the line manager at stage 2, the Monitoring
        Officer (or whoever it was handed to) at 3 and 4; the Monitoring Officer at stage 1."""
        return concern.owner.user if concern.owner_id else self.monitoring_officer

    def _escalate(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        # 001 §6.1, §6.2: the complainant says talking did not help; the line manager sends it on.
        actor = self.complainant(concern) if concern.state == ConcernState.DIRECT else self.handler(concern)
        return concern_services.concern_escalate(concern=concern, actor=actor, reason=step.text, now=now)

    def _note(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_note_add(concern=concern, actor=self.handler(concern), note=step.text, now=now)

    def _reassign(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_reassign(
            concern=concern,
            actor=self.monitoring_officer,
            new_owner=self.users[step.officer].officer,
            reason=step.text,
            now=now,
        )

    def _share(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_share_with_subject(
            concern=concern, actor=self.monitoring_officer, note=step.text, now=now
        )

    def _resolve(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        actor = self.complainant(concern) if concern.state == ConcernState.DIRECT else self.handler(concern)
        return concern_services.concern_resolve(concern=concern, actor=actor, outcome=step.text, now=now)

    def _informal(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        steps = [
            concern_services.InformalStep(kind=kind, details=details, given_by=given_by)
            for kind, given_by, details in step.informal
        ]
        return concern_services.concern_informal_action(
            concern=concern, actor=self.handler(concern), steps=steps, outcome=step.outcome, now=now
        )

    def _propose(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_propose_formal_action(
            concern=concern, actor=self.handler(concern), reason=step.text, now=now
        )

    def _sanction(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        # A prohibition starts on the next working day: from the member's next contact on.
        starts_on = self.days.date(step.day - 1)
        specs = [
            concern_services.SanctionSpec(
                kind=sanction.kind,
                details=sanction.details,
                committees=[self.committees[name] for name in sanction.committees],
                scope=sanction.scope,
                officer=self.users[sanction.officer].officer if sanction.officer else None,
                service=self.services[sanction.service] if sanction.service else None,
                starts_on=starts_on if sanction.kind == PROHIBITION else None,
                ends_on=starts_on + timedelta(days=sanction.lasts - 1) if sanction.lasts else None,
                disciplinary_reference=sanction.reference,
            )
            for sanction in step.sanctions
        ]
        return concern_services.concern_sanctions_record(
            concern=concern, actor=self.handler(concern), sanctions=specs, outcome=step.outcome, now=now
        )

    def _refer(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_refer(
            concern=concern,
            actor=self.handler(concern),
            kind=step.referral,
            details=step.text,
            independent_person=step.independent_person,
            outcome=step.outcome,
            now=now,
        )

    def _withdraw(self, concern: Concern, step: ConcernStep, now: datetime) -> Concern:
        return concern_services.concern_withdraw(
            concern=concern, actor=self.complainant(concern), reason=step.text, now=now
        )

    def build_example(self, plan: PositivePlan) -> PositiveExample:
        recorded = self.moment(plan.recorded, plan.minute)
        example = positive_services.positive_example_record(
            recorded_by=self.users[plan.recorded_by],
            title=plan.title,
            what_happened=plan.what_happened,
            happened_on=local_date(recorded) - timedelta(days=plan.happened_days_before),
            service=self.services[plan.service],
            members=[self.users[username].member for username in plan.members],
            officers=[self.users[username].officer for username in plan.officers],
            now=recorded,
        )
        if plan.forwarded:
            day, minute, comment = plan.forwarded
            example = positive_services.positive_example_forward(
                example=example,
                actor=self.users_by_pk[example.assistant_director.user_id],
                comment=comment,
                now=self.moment(day, minute),
            )
        if plan.acknowledged:
            day, minute, comment, publishable = plan.acknowledged
            example = positive_services.positive_example_acknowledge(
                example=example,
                actor=self.monitoring_officer,
                comment=comment,
                publishable=publishable,
                now=self.moment(day, minute),
            )
        return example


# ==================================================================================
# Briefings offered to every political group (DESIGN §6; 001 §9.5.2)
# ==================================================================================


@dataclass(frozen=True)
class BriefingStory:
    recorded: int  # working days ago it was recorded
    held: int  # working days ago it takes place (negative: ahead)
    subject: str
    kind: str
    given_by: str  # demo account
    recorded_by: str  # demo account
    first_group: str  # short name
    for_leadership: bool
    # short name -> "accepted" or "declined"; a group not named has not replied.
    responses: dict[str, str]


BRIEFING_STORIES = [
    BriefingStory(
        150,
        140,
        "Local Plan review: the draft growth options",
        "group_briefing",
        "director",
        "director",
        "Lab",
        False,
        {"Lab": "accepted", "Con": "accepted", "LD": "declined"},
    ),
    BriefingStory(
        70,
        62,
        "Budget proposals and the medium-term financial strategy",
        "group_meeting",
        "chief.executive",
        "chief.executive",
        "Con",
        False,
        {"Lab": "accepted", "Con": "accepted", "LD": "accepted"},
    ),
    BriefingStory(
        25,
        12,
        "Winter maintenance and the gritting routes",
        "group_briefing",
        "head",
        "officer",
        "LD",
        True,
        {"LD": "accepted", "Con": "declined"},
    ),
    BriefingStory(
        4,
        -8,
        "Parks and green spaces strategy consultation",
        "group_briefing",
        "assistant.director",
        "assistant.director",
        "Lab",
        True,
        {},
    ),
]
# Recorded from the Democratic Services spreadsheet the council kept before the portal, which
# shows offers to two groups only: the compliance view and the dashboard count it.
SPREADSHEET_BRIEFING = BriefingStory(
    200,
    195,
    "Town centre regeneration masterplan",
    "group_briefing",
    "director",
    "director",
    "Lab",
    False,
    {"Lab": "accepted", "Con": "declined"},
)


@dataclass(frozen=True)
class BriefingsSummary:
    created: bool
    count: int
    left_out: int


def briefing_counts(*, created: bool) -> BriefingsSummary:
    from cases.briefings.selectors import briefings_not_offered_to_every_group

    return BriefingsSummary(
        created=created, count=Briefing.objects.count(), left_out=briefings_not_offered_to_every_group().count()
    )


@transaction.atomic
def build_demo_briefings(*, now: datetime | None = None) -> BriefingsSummary:
    """Record the demo briefings through cases.briefing_services, with the groups' responses,
    unless there are briefings already."""
    from cases.briefings import services as briefing_services
    from cases.briefings.selectors import spokespeople

    if Briefing.objects.exists():
        return briefing_counts(created=False)
    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    stories = [SPREADSHEET_BRIEFING, *BRIEFING_STORIES]
    days = _WorkingDays(council_calendar(), today=local_date(now), back=max(s.recorded for s in stories), ahead=30)
    users = {user.username: user for user in get_user_model().objects.select_related("officer")}
    groups = {group.short_name: group for group in PoliticalGroup.objects.all()}

    def moment(day: int, hour: int) -> datetime:
        return datetime.combine(days.date(day), time(hour, 0), tzinfo=zone)

    def respond(briefing: Briefing, story: BriefingStory) -> None:
        for offer in briefing.offers.select_related("group", "briefing"):
            answer = story.responses.get(offer.group.short_name)
            if answer:
                speaker = spokespeople(offer.group)
                actor = speaker[0].user if speaker else users[story.recorded_by]
                briefing_services.briefing_response_record(
                    offer=offer, actor=actor, response=answer, now=moment(max(story.recorded - 2, 1), 11)
                )

    with notifications.recording_history():
        # The spreadsheet's briefing, as the council recorded it then: offers to two groups only.
        story = SPREADSHEET_BRIEFING
        at = moment(story.recorded, 10)
        briefing = Briefing.objects.create(
            reference=shared_references.next_reference("BRF", at.year),
            subject=story.subject,
            kind=story.kind,
            given_by=users[story.given_by].officer,
            takes_place_on=days.date(story.held),
            first_offered_to=groups[story.first_group],
            recorded_by=users[story.recorded_by],
            recorded_at=at,
        )
        for short in story.responses:
            BriefingOffer.objects.create(briefing=briefing, group=groups[short], offered_at=at)
        respond(briefing, story)
        for story in BRIEFING_STORIES:
            briefing = briefing_services.briefing_record(
                recorded_by=users[story.recorded_by],
                subject=story.subject,
                kind=story.kind,
                given_by=users[story.given_by].officer,
                takes_place_on=days.date(story.held),
                for_leadership=story.for_leadership,
                offered_to=groups[story.first_group],
                now=moment(story.recorded, 9),
            )
            respond(briefing, story)
    _settle_notifications(days, Notification.objects.filter(briefing__isnull=False))
    return briefing_counts(created=True)


# ==================================================================================
# Ward notices (DESIGN §6; 001 §9.4)
# ==================================================================================


@dataclass(frozen=True)
class NoticePlan:
    sent_by: str  # a demo account's username
    kind: str
    title: str
    summary: str
    wards: tuple[str, ...]
    # Calendar days before today it was sent, and the date it concerns relative to that.
    sent_days_ago: int
    concerns_days_after: int
    minute: int = 10 * 60
    # A consultation sent after it started: the officer confirmed it (001 §9.4.5).
    late: bool = False


DEMO_NOTICES = (
    NoticePlan(
        "officer",
        WardNoticeKind.SIGNIFICANT_INCIDENT,
        "Burst water main on Brook Street",
        "A burst main flooded Brook Street overnight. The road is closed between Mill Lane and the school "
        "while the water company repairs it; we expect it to reopen on Friday. Diversions are signed. "
        "Residents with questions can call Highways on 01632 960 412.",
        ("Brookside",),
        sent_days_ago=9,
        concerns_days_after=0,
        minute=8 * 60 + 40,
    ),
    NoticePlan(
        "head",
        WardNoticeKind.PUBLIC_CONSULTATION,
        "Consultation on the Kingsmead and Millbrook school streets scheme",
        "We are consulting residents on timed closures outside St Mary's and Millbrook primary schools at "
        "drop-off and pick-up. The consultation runs for six weeks, with drop-in sessions at Millbrook "
        "library. Plans and the questionnaire are attached.",
        ("Kingsmead", "Millbrook"),
        sent_days_ago=6,
        concerns_days_after=3,
    ),
    NoticePlan(
        "liaison",
        WardNoticeKind.SERVICE_CHANGE,
        "Changes to gritting routes this winter",
        "From December the secondary gritting route will no longer cover Hill Rise and Orchard Way; both "
        "stay on the priority list for severe weather. A map of the revised routes is on the council website.",
        ("Castle Hill", "Westwood", "Abbey Fields"),
        sent_days_ago=20,
        concerns_days_after=21,
    ),
    NoticePlan(
        "officer",
        WardNoticeKind.PUBLIC_MEETING,
        "Public meeting on the Southmoor bypass junction",
        "Highways officers will present the options for the Southmoor Road junction at the community centre, "
        "7pm. All ward councillors are invited; please let us know if you would like to speak.",
        ("Southmoor",),
        sent_days_ago=4,
        concerns_days_after=24,
    ),
    NoticePlan(
        "head",
        WardNoticeKind.PUBLIC_CONSULTATION,
        "Consultation on residents' parking in Old Town",
        "The consultation on extending the Old Town residents' parking zone opened on Monday. We should have "
        "told you at its start and apologise for the delay. It runs for four weeks.",
        ("Old Town",),
        sent_days_ago=2,
        concerns_days_after=-5,
        late=True,
    ),
    NoticePlan(
        "liaison",
        WardNoticeKind.PUBLIC_EVENT,
        "Reopening of Riverside footbridge",
        "The refurbished footbridge reopens with a short ceremony at 11am. Ward councillors are invited.",
        ("Riverside", "Harbourside"),
        sent_days_ago=12,
        concerns_days_after=10,
    ),
    NoticePlan(
        "head",
        WardNoticeKind.CONTROVERSIAL,
        "Felling of diseased trees on Fairfield Avenue",
        "Ash dieback means eleven street trees on Fairfield Avenue must be felled in the new year. We expect "
        "strong local feeling and will replant with mixed species. A survey report is available on request.",
        ("Fairfield",),
        sent_days_ago=15,
        concerns_days_after=40,
    ),
    NoticePlan(
        "officer",
        WardNoticeKind.APPLICATION,
        "Application for a temporary road closure on Eastgate",
        "A developer has applied to close Eastgate between the market and the bus station for six weeks to "
        "build the new library frontage. Comments are due within 21 days.",
        ("Eastgate", "Brookside"),
        sent_days_ago=1,
        concerns_days_after=21,
    ),
)


@transaction.atomic
def build_demo_ward_notices(*, now: datetime | None = None) -> int:
    """Send the demo ward notices in the past, unless there are notices already. Returns how
    many notices there are."""
    if WardNotice.objects.exists():
        return WardNotice.objects.count()
    now = now or timezone.now()
    today = local_date(now)
    users = {user.username: user for user in get_user_model().objects.filter(username__in=council.DEMO_ACCOUNTS)}
    wards = {ward.name: ward for ward in Ward.objects.all()}
    with notifications.recording_history():
        for plan in sorted(DEMO_NOTICES, key=lambda plan: -plan.sent_days_ago):
            day = today - timedelta(days=plan.sent_days_ago)
            sent_at = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone()) + timedelta(
                minutes=plan.minute
            )
            notice_services.ward_notice_send(
                sent_by=users[plan.sent_by],
                kind=plan.kind,
                title=plan.title,
                concerns_on=day + timedelta(days=plan.concerns_days_after),
                summary=plan.summary,
                wards=[wards[name] for name in plan.wards],
                confirmed_late=plan.late,
                now=sent_at,
            )
    # Read a day after they were sent, but for the last few days'.
    read_before = now - timedelta(days=3)
    Notification.objects.filter(ward_notice__isnull=False, created_at__lt=read_before, read_at__isnull=True).update(
        read_at=F("created_at") + timedelta(days=1)
    )
    return WardNotice.objects.count()
