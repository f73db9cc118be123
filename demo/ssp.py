"""Demo organisation 1: Support Services Partnership South West London, Business Plan 2006/07.

Transcribed from ../shared/reference/ssp-business-plan-2006-07.txt, figure for figure. The data
below follows the document's order. The text conversion lost the layout of the tables (the SWOT,
Appendix 2 and Appendix 3): where rebuilding them needed a judgement, the comment beside the
data says what was decided and why.

Editorial changes to the text, everywhere: the converter's **bold** marks and "[Appendix n](#)"
links are dropped (the words stay), and the contact e-mail address, a real person's, is not
loaded.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction

from budgets.models import ExpenditureLine, IncomeLine, PrintedTotal, ServiceLine, TotalScope
from kpis.models import KPI, Frequency, Polarity
from objectives.duedates import due_words, parse_due
from objectives.models import Objective, ObjectiveKind
from planning import fy
from planning.models import (
    ClientRelationship,
    Organisation,
    OrganisationKind,
    OrgUnit,
    OrgUnitKind,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    RelationshipKind,
    SectionKind,
    StrategicObjective,
    StrategicPriority,
    Value,
    VisionBullet,
)
from swot.models import PestelCategory, PestelDriver, Quadrant, SwotItem

USER_PREFIX = "ssp"
PLAN_SLUG = "ssp-business-plan-2006-07"
YEAR = 2006  # the financial year 2006/07

# ---------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------

ADDRESS = "The Wilson, Cranmer Road, Mitcham, CR4 4TP"
TELEPHONE = "020 8687 4655"

ORGANISATION = {
    "name": "Support Services Partnership South West London",
    "short_name": "SSP",
    "slug": "ssp",
    "kind": OrganisationKind.PARTNERSHIP,
    "address": ADDRESS,
    "telephone": TELEPHONE,
    # The document prints a named person's e-mail address; it is deliberately not loaded.
    "email": "",
}

# Section 2: "As a non-statutory organisation SSP is hosted by Wandsworth Primary Care Trust".
HOST_SLUG = "wandsworth-pct"

# Section 2's list of Partners, in printed order: (name, slug, kind).
PARTNERS = [
    ("Croydon PCT", "croydon-pct", OrganisationKind.PCT),
    ("Kingston PCT", "kingston-pct", OrganisationKind.PCT),
    ("Richmond & Twickenham PCT", "richmond-twickenham-pct", OrganisationKind.PCT),
    ("Sutton & Merton PCT", "sutton-merton-pct", OrganisationKind.PCT),
    ("SWL Strategic Health Authority", "swl-sha", OrganisationKind.SHA),
    ("Wandsworth PCT", "wandsworth-pct", OrganisationKind.PCT),
]

# Other clients, from the budget's income rows ("St Georges NHS T"). "Others" is no organisation.
OTHER_CLIENTS = [
    ("St George's NHS Trust", "st-georges-nhs-trust", OrganisationKind.TRUST),
]

# Section 6(ii) "Services are grouped into two directorates as follows", as printed.
DIRECTORATES = [
    ("Services", ["Estates", "Facilities", "Supplies", "Primary Care", "Major Capital Projects"]),
    (
        "Corporate Operations",
        [
            "Finance",
            "Risk Management",
            "Business Planning",
            "Performance Management",
            "Communications",
            "Procurement Alliance",
            "Benchmarking services",
            "Human Resources / Organisational Development",
        ],
    ),
]
# Appendix 2 has two department headings that section 6(ii) does not list. They are added under
# Corporate Operations with Appendix 2's names. "Procurement Shared Services" may well be the
# "Procurement Alliance" of 6(ii), but the document never says so, so it is kept apart.
APPENDIX_2_UNITS = [("Corporate Operations", ["Corporate", "Procurement Shared Services"])]

# ---------------------------------------------------------------------------------------------
# The plan, its vision, values, priorities and short/medium-term objectives
# ---------------------------------------------------------------------------------------------

AIM = "High Quality and Cost Effective Support Services to our clients"
VISION = (
    "Our Vision is to be the preferred supplier for the delivery of support services and be"
    " considered a “can do” organisation."
)

PLAN = {
    "kind": PlanKind.BUSINESS_PLAN,
    "title": "Business Plan",
    "start_year": YEAR,
    "end_year": YEAR,
    "version_label": "2006/07",
    # The document is the published plan, presented as final (no draft mark, copies available
    # from the Corporate Business Manager), so "approved". It records no ratification (no
    # board, no date), so not "ratified", and its document-control fields stay blank.
    "status": PlanStatus.APPROVED,
    "aim": AIM,
    "vision": VISION,
}

# Section 3, "To achieve this we will:-".
VISION_BULLETS = [
    "Delight our clients",
    "Be the benchmark within our industry",
    "Be an employer of choice within our areas of expertise in SWL",
    "Be a proactive, strategic and valued contributor to the whole sector",
    "Develop a culture of learning and continuous improvement within our organisation which"
    " celebrates and encourages success and innovation",
    "Offer and demonstrate Best Value services",
    "Be an agile organisation with flexible capabilities",
]

# Section 5. The printed list has a stray blank line after "People development": one list of 12.
VALUES = [
    "VFM",
    "Providing the best environment within our resources for patients, staff and the public",
    "Technical excellence",
    "People development",
    "The NHS Ethos",
    "Transparency, honesty, integrity, probity",
    "Responsiveness and pro-activity",
    "Experience/knowledge",
    "Respect for people",
    "Long term view",
    "Recognising success and learning from mistakes",
    "Effective and proactive risk management",
]

# Section 4 (repeated in the Executive Summary): the strategic priorities, unnumbered bullets in
# the document, numbered 1-7 here in printed order.
STRATEGIC_PRIORITIES = [
    "Continue to deliver best value services to Partners",
    "Develop true partnership working arrangements with Partners",
    "Develop an approach to Performance Management and a culture that supports delivery,"
    " effective team working, promotes equality for, diversity of, and values all staff",
    "Proactively manage the risks associated with our services to ensure that partners can make"
    " informed decisions about their services or assets",
    "Foster effective communications within the organisation and with our Partners",
    "Develop and implement robust Information Management Systems within the organisation and for"
    " use by PCT partners.",
    "Improve training, develop, recruitment and retention within the organisation",
]

# Section 4: the Short and Medium Term Objectives, numbered 1-13 as printed (typography as in
# section 4, which has curly quotes where the Executive Summary has straight ones).
STRATEGIC_OBJECTIVES = [
    "To continue to meet SLA services demonstrating the value for money of our outputs through"
    " timely and effective reporting, benchmarking and market testing, risk management and"
    " maintaining financial balance.",
    "To develop a clear approach to valuing staff through Succession Planning, Career Development"
    " , training, development, Recruitment and Retention plans",
    "To establish and use the SSP “Way we Do things” to support a “Can Do Culture” -through the"
    " publication of an organisational wide operational policy covering the planning, performing,"
    " reviewing and reporting of all work as well as our approach to equality, diversity and"
    " other best practice.",
    "To develop an inclusive approach to Performance Management through the Business Planning"
    " Process including clear objectives, understood job descriptions, shared plans, regular"
    " reviews and effective personal development planning to ensure raising of standards and"
    " effective performance measurement internally and externally.",
    "To encourage innovation, improving standards and Best Practice in all services",
    "To review current information systems and to develop a coordinated and integrated up to date"
    " management information system for all services.",
    "To integrate all services onto the single “home” site of the Wilson",
    "To proactively develop a culture of effective team working across the SSP -support and enable"
    " functional and project team based working and communications",
    "To proactively manage staff changes at Orchard Hill ensuring staff job opportunities are"
    " maximised",
    "To develop Contracting and Procurement as a centre of excellence",
    "To establish Technical Services so that the sector receives effective and appropriate"
    " support in managing risks",
    "To develop a call centre, supported by effective information systems, such that management"
    " and technical information is widely available internally and externally",
    "To seek innovative ways to provide more shared services for our partner organisations in"
    " areas that under Commissioning a Patient Led NHS, have become non core business activities,"
    " e.g. transactional activities relating to HR, Recruitment and Retention, OD, Diversity,"
    " Training, Finance, IT. We will do this by leading and proactively engaging in local and"
    " London-wide discussions about the future shape of shared services and developing proposals"
    " as required.",
]

# ---------------------------------------------------------------------------------------------
# Narrative sections, in document order
# ---------------------------------------------------------------------------------------------


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _numbered(lines: list[str]) -> str:
    return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))


def _straight_quotes(text: str) -> str:
    return text.translate({ord("‘"): "'", ord("’"): "'", ord("“"): '"', ord("”"): '"'})


INTRODUCTION = """\
This is the 2006-07 Business Plan for Support Services Partnership (SSP). It is written around the strategic objectives which have been developed by the wider Executive Management Team. These strategic objectives are in turn underpinned by a series of Short to Medium Term objectives.

The Business Plan will provide the basis for individual objectives within SSP, as well as the performance management of SSP as a whole."""  # noqa: E501

STRATEGIC_OBJECTIVES_BODY = f"""\
The Business Plan of the SSP has been written around a set of key strategic priorities, which provide the basis for the objectives of SSP as a whole. These objectives have been heavily influenced by the changing economic environment across the NHS and the consistent drive for efficiency and maximising of the benefits of shared services. The SSP will be supporting the PCTs in delivering their objectives and priorities set out in ‘The NHS in England: the Operating Framework for 2006/07’

The strategic priorities are as follows:

{_bullets(STRATEGIC_PRIORITIES)}

We will work to deliver the following Short and Medium Term Objectives

{_numbered(STRATEGIC_OBJECTIVES)}"""  # noqa: E501

CONCLUSION = """\
The 2006-07 Business Plan complements the SSP Strategic Plan, which provides the strategic context for the development of all SSP services. The Business Plan presents the operational objectives for the SSP Management Team for the year 2006/07, which are underpinned by the organisation's strategic priorities."""  # noqa: E501

# Printed twice (end of the Executive Summary, after section 12) with the Corporate Business
# Manager's personal e-mail address after the telephone number: the address is left out.
CONTACT = f"""\
Copies of the Business Plan are available from the Corporate Business Manager, Support Services Partnership South West London, {ADDRESS}

Tel: {TELEPHONE}."""  # noqa: E501

# The Executive Summary is made of the Introduction, the Strategic Objectives and the Conclusion,
# word for word, then the contact note. It prints straight quotes where section 4 has curly ones,
# so its text is section 4's with the quotes straightened. Its objective 3 was split in two by
# the conversion ("... operational" / "- policy covering ..."); it is one objective here.
EXECUTIVE_SUMMARY = f"""\
Introduction

{INTRODUCTION}

Strategic Objectives

{_straight_quotes(STRATEGIC_OBJECTIVES_BODY)}

Conclusion

{CONCLUSION}

{CONTACT}"""

BACKGROUND = f"""\
SSP was formed in April 2002 as a non-statutory organisation by a number of healthcare bodies in South West London to deliver their support services from a single point in a cost-effective and efficient manner. Prior to SSP's establishment all support services were provided by the individual organisations internally by predecessor organisations.

As a non-statutory organisation SSP is hosted by Wandsworth Primary Care Trust and provides services to the following Partners:

{_bullets([name for name, _, _ in PARTNERS])}

In addition, SSP also provides specific services to a number of other Trusts in the South West London Sector.

SSP employs 280 staff and has an annual budget of approximately £13m. This comes from Partner contributions for delivering core services provided under Service Level Agreements (SLAs). Any surplus of income or deficit over planned expenditure is shared by Partner organisations as part of the risk agreement."""  # noqa: E501

AIM_AND_VISION = f"""\
The SSP's aim is to offer:

“{AIM}”

SSP's aims have been developed as a result of a number of staff workshops and as such link closely with departmental objectives of the organisation.

{VISION} To achieve this we will:-

{_bullets(VISION_BULLETS)}"""  # noqa: E501

VALUES_BODY = f"""\
SSP is a values-driven organisation. The list below provides a statement of those values and they underpin the way in which SSP functions. We believe passionately in providing excellent services to our Partners.

{_bullets(VALUES)}"""  # noqa: E501

STRATEGIC_ANALYSIS = f"""\
The SSP has recently undertaken a strategic analysis by the Executive Management Team to consider its current service provision and the market that it operates within. This then led to an analysis of the possibilities for future direction of service provision.

The analysis was carried out principally by means of Political, Economic, Social, Technological, Environmental and Legal (PESTEL), Strengths, Weaknesses, Opportunities, Threats (SWOT) analyses.

A SWOT analysis was undertaken as part of the business planning process to consider SSP's Strengths, Weaknesses, Opportunities and Threats as outlined below. As an internal exercise this has given the SSP management team the ability to sell its strengths and use opportunities and respond to its weaknesses and threats accordingly. This is given as Appendix 1.

The SWOT analysis indicates that there is a fairly even spread between SSP's strengths, weaknesses, opportunities and threats. SSP is clearly strong at what it does currently and has a solid base from which to develop. It is evident that a culture change is required to make SSP 'more commercial' and take forward the opportunities presented by e.g. the Gershon review. SSP will take a watching brief on the impact of emerging national issues particularly in regard to organisational reconfiguration following the publication of a 'Commissioning a Patient Led NHS' and will also work with Partners and the Strategic Health Authority on shared service development including the potential for Strategic Partnership.

The SSP will be making a positive contribution to the future of Shared Services within London by working with the Commissioning a Patient Led NHS London Project Board. This may include putting forward proposals for the future of Shared Services and supporting the PCTs in delivering the separation of Provider and Commissioner roles.

(i) Current Service Provision

For Partners, SSP operates a 'cost=price' performance agreement for its services that also includes savings targets. SSP's business is a mix of both transactional and advisory/consultancy services.

(ii) Services

Services are grouped into two directorates as follows:

{DIRECTORATES[0][0]}

{_bullets(DIRECTORATES[0][1])}

{DIRECTORATES[1][0]}

{_bullets(DIRECTORATES[1][1])}"""  # noqa: E501

STRATEGIC_IMPLEMENTATION = """\
The purpose of this section is to cross-refer the operational objectives for 2006/07 of each Directorate and their respective services to the strategic priorities and Short to Medium Term Objectives. Operational objectives are only listed once and are cross-referred to the first appropriate strategic objective.

One of the key emphases of 2006/07 for the SSP is organisational change – to implement the new structure within the services directorate and to undertake significant organisational development work to nurture a culture which supports innovation and a positive approach within the SSP.

The operational objectives are attached as Appendix 2 to this document."""  # noqa: E501

IMPLEMENTATION_PLAN = """\
The Strategic objectives have been shared widely across SSP. Strategic Objectives will link into the Departmental and Individual objectives for 2006/07. These will be agreed through 1:1 meetings and reviewed in 6 months for progress against plan."""  # noqa: E501

FINANCIAL_PLAN = """\
The Revenue and Capital plans to support this business plan are included as Appendix 3 to this document."""  # noqa: E501

PERFORMANCE_MANAGEMENT = """\
The SSP has started to implement a Performance Management Framework which will include key performance indicators associated with each objective and demonstrating progress against plan with emphasis of continuously getting better. Performance management will be an integral part of working within the SSP.

Reporting to Partners is by way of the Service Level Agreements with quarterly review meetings, Quarterly Performance Management Reports with a Balanced Scorecard showing Key Performance Measures (KPI's) and Work Priorities. The beginnings of an SSP Approach to Performance Management is included as Appendix 4"""  # noqa: E501

FUTURE_CHANGES = """\
Practice Based Commissioning devolves responsibility for commissioning services from Primary Care Trusts (PCTs) to Local GP practices within a local strategic framework. It will give local clinicians greater control over resources, freeing them to respond better to local and individual needs. SSP will be developing relationships across the sector to ensure we support our partner organisations through these changes.

The changes to the Health Authority boundaries will change our client base as currently the South West London Strategic Health Authority is one of our partner organisations."""  # noqa: E501

# Appendix 4 as printed, including its own typos ("will be measure", "the re will be"). Its
# vision bullets differ from section 3's in capitals ("develop a culture", "Best value").
APPENDIX_4 = """\
A key objective for the SSP next year is to develop an effective approach to Performance Management that builds upon best practice, the changes in the structure and drives the SSP in pursuit of its vision.

This “paper” outline some early thinking about how a “best practice” approach to performance management could be integrated into the SSP, creating a real sense of the “Way we do things”.

This is very much work in progress as it requires wider ownership and this is deliberately designed to test the thinking and pose some questions. It is not developed sufficiently to be regarded as a Project Initiation Document but is robust enough to allow engagement with key people in the organisation. An internal team will need to be set up to develop, plan assess risks and roll out this work.

The vision, aims and strategic priorities are supported by Medium and Short term objectives – the precise nature of these is not entirely relevant to the conceptual thinking and so they are not repeated in full here.

Working Assumptions

The underlying ethos of the SSP is to apply wherever possible the principles of project management, a positive approach to continuous improvement and flat multi-team working.

The success of the SSP will be measure through a balanced scorecard approach to a wide range of organisational objectives and Key Performance Indicators

The paper makes a deliberate jump between high level teams, such as the Heads of Function team, A N Other team and individuals. In reality, it is anticipated that the re will be intermediate team at (say) Estates level where a mix of operational and SSP wide issues will be handled.

Further detailed work is required to agree how the teams within the SSP will interact with each other to manage and improve performance in services. Also to agree the decision making process.

A Team Perspective Vision Statement

Our SSP's vision is to be the preferred supplier for the delivery of support services and be considered a "can do" organisation. To achieve this, we will:-

- Delight our clients
- Be the benchmark within our industry
- Be an employer of choice within our areas of expertise in SWL
- Be a proactive, strategic and valued contributor to the whole sector
- develop a culture of learning and continuous improvement within our organisation which celebrates and encourages success and innovation
- Offer and demonstrate Best value services
- Be an agile organisation with flexible capabilities

The SSP must achieve a positive direction of travel, through delivery of short and medium term objectives enshrined in the business plan.

An Individual's Perspective

All delivered within SSP Policies, Quality Framework and Toolkit “SSP Way We Do”

Job Description – available to department

Generic or specific

An individual's view of the world

I know what we do

I know what I do and what I am expected to do this year – My key performance indicators or measures

I know when I do well

I know when I can do better

I enjoy my job

I get a reasonable salary for my job

I achieve a reasonable balance between work and home

I get opportunities to improve my skills

My Annual Objectives

Derived from

- SSP,
- Departmental
- Developmental Needs
- My role in KPI achievement and shared by team

Personal Development Planning

Developed in discussions with my line manager"""  # noqa: E501

# (kind, title, body) in document order; titles are the document's headings with its numbers.
# The contact note closes the Executive Summary and section 12 in the document; it is its own
# section here. Appendices 1-3 are data (SWOT, objectives, budget) rather than sections.
SECTIONS = [
    (SectionKind.EXECUTIVE_SUMMARY, "Executive Summary", EXECUTIVE_SUMMARY),
    (SectionKind.INTRODUCTION, "1. Introduction", INTRODUCTION),
    (SectionKind.BACKGROUND, "2. Background and Context", BACKGROUND),
    (SectionKind.AIM_AND_VISION, "3. Aim and Vision", AIM_AND_VISION),
    (SectionKind.STRATEGIC_OBJECTIVES, "4. Strategic Objectives", STRATEGIC_OBJECTIVES_BODY),
    (SectionKind.VALUES, "5. Values", VALUES_BODY),
    (SectionKind.STRATEGIC_ANALYSIS, "6. Strategic Analysis", STRATEGIC_ANALYSIS),
    (SectionKind.IMPLEMENTATION, "7. Strategic Implementation", STRATEGIC_IMPLEMENTATION),
    (SectionKind.IMPLEMENTATION, "8. Implementation Plan", IMPLEMENTATION_PLAN),
    (SectionKind.FINANCE_PLAN, "9. Financial Plan", FINANCIAL_PLAN),
    (SectionKind.PERFORMANCE_MANAGEMENT, "10. Performance Management", PERFORMANCE_MANAGEMENT),
    (SectionKind.CONCLUSION, "11. Conclusion", CONCLUSION),
    (SectionKind.FUTURE_CHANGES, "12. Future Changes", FUTURE_CHANGES),
    (SectionKind.CONTACT, "Contact", CONTACT),
    # Kind "other" so that "performance_management" keeps naming one section (section 10).
    (SectionKind.OTHER, "Appendix 4: SSP approach to Performance Management", APPENDIX_4),
]

# ---------------------------------------------------------------------------------------------
# Strategic analysis: PESTEL drivers and the SWOT (Appendix 1)
# ---------------------------------------------------------------------------------------------

PESTEL = [
    (
        PestelCategory.POLITICAL,
        [
            "“Commissioning a patient led NHS” with a change to size and role of the SHA and no"
            " immediate change to local PCTs with a focus on commissioning. The need to"
            " demonstrate contestability (including 10% use of private and independent sector) in"
            " service delivery and increased use of shared services.",
            "The push to roll out Practice based commissioning, with Payment by results, changing"
            " local organisational dynamics and including a possible fragmenting of the local"
            " health system.",
            "Continued central focus on targets and delivery",
        ],
    ),
    (
        PestelCategory.ECONOMIC,
        [
            "The serious financial situation locally, increasing the focus on value for money,"
            " minimising unnecessary expenditure and saving costs in year. This is exacerbated by"
            " local PCTs being above capitation target levels thus requiring further reductions in"
            " expenditure.",
            "Limitations on the ability to fund Early Retirements and Voluntary Redundancies.",
            "Lack of Public Sector Capital continuing to favour PFI and LIFT schemes, with complex"
            " contractual obligations and payment mechanisms.",
            "The push to roll out Practice based commissioning, with Payment by results, changing"
            " local NHS money flows and affecting different providers differently.",
            "Closure programmes at Orchard Hill leading to loss of services and employment"
            " opportunities",
            "Queen Mary’s development transferring services to Sodexo with loss of income and loss"
            " of economies of scale and flexibility",
        ],
    ),
    (
        PestelCategory.SOCIAL,
        [
            "The increasing pressure for services to be available on a 24/7 basis",
            "An ageing workforce within the SSP – particularly at managerial level.",
            "Limited opportunities for succession planning, particularly within the technical"
            " services.",
            "Increasingly litigious attitude within population requiring better adherence to"
            " standards and responsiveness to customer concerns.",
        ],
    ),
    (
        PestelCategory.TECHNOLOGICAL,
        [
            "Increased opportunities for clinical interventions in local community facilities"
            " rather than hospitals, thus increasing the importance of Strategic Service Delivery"
            " Plans and Strategic Estates Reviews",
            "Increased opportunities for investment in technological solutions to allow working"
            " smarter and increased quality and / or reduced cost.",
        ],
    ),
    (
        PestelCategory.ENVIRONMENTAL,
        [
            "Wider Town planning requirements to ensure that NHS developments are viewed in the"
            " wider urban context.",
            "Increasing emphasis on waste management, energy efficiency and sustainability"
            " requiring more innovation and technical solutions",
            "Increased emphasis on Environmental Impacts and sustainable approaches to travel",
        ],
    ),
    (
        PestelCategory.LEGAL,
        [
            "Increasing amounts of EU legislation such as Working Time Directive, Lone Working"
            " guidance, etc",
            "Increased Regulatory approach to NHS standards including Estates based guidance,"
            " National Cleaning standards, NEAT assessments, etc.",
            "Increased obligations under Health and Safety",
        ],
    ),
]

# Appendix 1. The conversion ran each quadrant's items together into one line; they are split
# where a new capitalised phrase starts. Read as one item each: "Most significant experience of
# negotiations for public: private partnerships in sector" (the colon is printed), "National links
# for Cleaning standards and NHS Design review", and "Increasing role outside of core partners
# e.g. Shared Service review, Strategic Work for SGH, Enquiry by Design for Better Health Care
# Closer to Home" (its examples, "Better Health Care Closer to Home" being a programme's name).
SWOT = [
    (
        Quadrant.STRENGTH,
        [
            "Track record in successful delivery of operational services",
            "Source of wide ranging technical expertise to the sector",
            "Most significant experience of negotiations for public: private partnerships in"
            " sector",
            "Successful closure of PFI and LIFT projects",
            "Sector wide role in LIFT",
            "National links for Cleaning standards and NHS Design review",
            "Well thought of in Sector and Local networks",
            "Increasing role outside of core partners e.g. Shared Service review, Strategic Work"
            " for SGH, Enquiry by Design for Better Health Care Closer to Home",
            "Strong Corporate Memory",
        ],
    ),
    (
        Quadrant.WEAKNESS,
        [
            "Service focussed working and limited integration",
            "Poor presentation of success",
            "Management structure unsustainable",
            "Perceived as being expensive",
            "Mixed view on ability to deliver",
            "Limited commercial expertise for contract management",
            "Lack of focus on contractual relationship with clients",
            "Poor records on service quality making communications more difficult and time"
            " consuming",
        ],
    ),
    (
        Quadrant.OPPORTUNITY,
        [
            "Possible links to GP Commissioning groups",
            "More contracts to manage and output specifications to monitor",
            "Increasing impact of standards and regulations requiring more technical expertise to"
            " be available",
            "Proactive sharing of skills and knowledge of required in PFI /PPP negotiations /"
            " projects",
        ],
    ),
    (
        Quadrant.THREAT,
        [
            "Reducing number of operational services, leading to lower income and increased"
            " incidence of overhead costs",
            "Increased pressure to merge shared service organisations",
        ],
    ),
]

# ---------------------------------------------------------------------------------------------
# Appendix 2: Operational Objectives 2006/07
# ---------------------------------------------------------------------------------------------
#
# (Appendix 2 heading, OrgUnit name, reference prefix, [(objective, "KPIs to Measure"), ...]).
# The document does not number the objectives: each gets a reference made of a department prefix
# and its place in the department's list ("EST-1", "EST-2", ...), assigned here.
#
# Headings and units: "HR / OD / Training" is section 6(ii)'s "Human Resources / Organisational
# Development" department (training is part of HR/OD there; one department, so its objectives are
# not split from it). "Corporate" and "Procurement Shared Services" are Appendix 2's own units,
# added under Corporate Operations (see APPENDIX_2_UNITS).
#
# Where the conversion separated the two columns of a block (<p> lists), the objectives and KPI
# texts are paired in order; the pairing reads right for every row, as noted per block.
APPENDIX_2 = [
    (
        "Estates",
        "Estates",
        "EST",
        [
            ("To implement restructuring of Estates Dept", "Progress against plan"),
            (
                "To assist PCTs with the implementation of the GP Fire Surveys in PCT Owned"
                " Premises",
                "Mandatory training reports / Standards for Better Healthcare",
            ),
            (
                "To develop SLAs in line with commercial contracts",
                "Signed SLAs by Sept 06 to inform budget setting for 07/08",
            ),
            ("To improve the process for ERIC reporting", "Submission complete - July 06"),
            (
                "To prepare an early capital programme providing uniform workload throughout the"
                " year",
                "Achievement of project against plan / budget reports / project management reports",
            ),
            (
                "To ensure the effective management of PCTs property portfolio",
                "Trust commitment to process by May 2006",
            ),
            (
                "To provide cost effective maintenance service to PCTs",
                "Ratio of PPM to request maintenance / Analysis of request maintenance response"
                " times",
            ),
        ],
    ),
    (
        "Facilities",
        "Facilities",
        "FAC",
        [
            ("To identify staff for career development by Sept 06", "Sept 06"),
            (
                "To develop SLAs in line with commercial contracts",
                "Signed SLAs by Sept 06 to inform budget setting for 07/08",
            ),
            (
                'To develop a "Call-Centre" for operational services',
                "Progress against plan – Mar 07",
            ),
            (
                "To ensure compliance with mandatory training and best practice in HR",
                "P1 Sickness Rate (Short/long term per dept) /P2 Sickness cost (per dept) /L1 %"
                " Mandatory staff training completed /L2 SSP % PDRs completed /L6 Non Mandatory"
                " Staff Training completed /L7 Staff Communications and Knowledge Transfer",
            ),
            (
                "To continue benchmarking services to show best value to our partners and to take"
                " forward to market testing if necessary",
                "Progress against plan",
            ),
            ("To manage staff changes at Orchard Hill", "Progress against plan"),
            ("To complete restructure of Operational services Dept", "Progress against plan"),
            (
                "To improve information gathering via IT systems",
                "C5 PCT Site Running Cost per M2 by site / C6 Facilities helpdesk job nos and"
                " response times",
            ),
        ],
    ),
    # Five objectives and four KPI texts. Paired in order, each of the first four reads right
    # (influenced spend / F2 influencable spend; partnership working / customer survey; contracts
    # database / number of contracts; fewer transactions via catalogue management / number of
    # requisitions), so the fifth, e-procurement, is the row printed without a KPI. "Monitor number
    # of requisitions" would also suit e-requisitioning, but it is printed once and is not copied.
    (
        "Supplies",
        "Supplies",
        "SUP",
        [
            (
                "To increase the value of expenditure & influenced spend by professional and"
                " supply management",
                "F2 SSP (2) Influencable spend (Supplies)",
            ),
            (
                "To continue to develop partnership working with PCTs",
                "Customer Satisfaction Survey",
            ),
            (
                "To develop and monitor contracts database for all PCTs",
                "Number of contracts sectorwide",
            ),
            (
                "To identify areas where catalogue management can proactively reduce number of"
                " transactions via SSP",
                "Monitor number of requisitions",
            ),
            (
                "To develop eprocurement including erequisitioning, catalogue management and"
                " billing",
                "",
            ),
        ],
    ),
    # Five and five, paired in order. "KPI being developed 30th June 06" dates the KPI's
    # definition, not the work; as the only date printed against these two objectives it is
    # their due date (their first checkpoint). No KPI is invented for them: the text stays the
    # measure.
    (
        "Primary Care",
        "Primary Care",
        "PC",
        [
            (
                "To continue to work with PCTs on individual projects (mixture of PCTs sites plus"
                " 3rd party development projects)",
                "Progress against plan",
            ),
            (
                "To continue an advice service to GP practices on individual premises development",
                "KPI being developed 30th June 06",
            ),
            (
                "To regularly monitor and report to 5 PCTs on all Planning Applications and"
                " highlight any which impact on PCTs / services",
                "KPI being developed 30th June 06",
            ),
            ("To contribute to SSDP & LIFT", "Progress against plan"),
            (
                "To continue to provide Advice & Management Service to 4 PCTs including"
                " interpreting regulations and adhoc requests for advice",
                "Measure actual time spent vs SLA budget",
            ),
        ],
    ),
    # Ten and ten in the <p> block, paired in order, plus the eleventh row printed after the page
    # break. "Grace 1 Listed" and "Bollingbroke" are as printed.
    (
        "Major Capital Projects",
        "Major Capital Projects",
        "MCP",
        [
            (
                "To successfully complete the land sale of the QMH surplus land which includes"
                " Roehampton House (Grace 1 Listed)",
                "Progress against plan April 06 Complete Dec 06",
            ),
            (
                "To successfully complete the sale of the Woodmill Site for the maximum sale"
                " proceeds",
                "Progress against plan - Dec 06",
            ),
            (
                "To ensure all PCT staff and GPs in South West London sector meet the agreed"
                " decontamination standards",
                "Be agreed by March 07",
            ),
            ("To successfully develop Putney Hospital site", "Progress against plan"),
            ("To relocate WPCT HQ and Roehampton House staff to single site", "PID"),
            (
                "To act as Informed Client on behalf of the PCTs on St. John's Lane Therapy Centre"
                " & Green Wrythe Lane",
                "Progress against plan - Oct 06",
            ),
            ("To write Strategic Outline Case for St. Georges", "Progress against plan - Oct 06"),
            (
                "To write Strategic Outline Case for the Bollingbroke",
                "Progress against plan - Nov 06",
            ),
            (
                "To successfully handover the Queen Mary's Hospital to Wandsworth PCT (Phase I)",
                "Progress against plan - Apr06",
            ),
            (
                "To successfully handover the Queen Mary's Hospital to Wandsworth PCT incl car park"
                " (Phase II)",
                "Progress against plan - Sept06",
            ),
            (
                "To manage the development of the Strategic Outline Case for Surbiton Hospital",
                "Progress against plan - Dec 06",
            ),
        ],
    ),
    (
        "Performance Management",
        "Performance Management",
        "PM",
        [
            (
                "To implement a Balanced Scorecard focussed Performance Management Framework",
                "Quarterly Reports to Partners - July06/Oct06/Jan 07/Apr07",
            ),
            (
                "To implement a Project Management Methodology for the Major Capital Projects"
                " Department",
                "Sep-06",
            ),
        ],
    ),
    (
        "Finance",
        "Finance",
        "FIN",
        [
            ("To develop budgets for 2006-07", "May 06"),
            (
                "To monitor changes in SLAs and budgets, ensuring the financial viability of the"
                " SSP",
                "Reports to SMT / Exec / Board / Partners",
            ),
            ("To continue to benchmark SSP services", "Progress against plan – ongoing"),
            ("To communicate Financial Monitoring to Managers and Partners", "Ongoing – Monthly"),
            ("To continue to implement time recording to support SLA charges", "Monthly"),
            ("To develop SBS system to support SSP reporting", "Jul-06"),
        ],
    ),
    (
        "HR / OD / Training",
        "Human Resources / Organisational Development",
        "HR",
        [
            (
                "To ensure that all staff have a PDP in line with developed KSF outlines",
                "Action Plan developed. KPI measure L2 % of professional development reviews"
                " completed – Oct06 / Apr07",
            ),
            (
                "To help staff make successful career moves and use skills (new and developed)"
                " appropriate throughout the organisation.",
                "Monitor/measure 4 linked KPIs/. Annual Review of Exit interview information –"
                " Oct06/Apr 07",
            ),
            (
                "To develop plans to support the strategic priorities of the organisation through"
                " OD, HR and Training",
                "Recruitment & Retention action plan, workforce development action plan,"
                " organisational development strategy – Oct06/Apr07",
            ),
            (
                "To continuously review and improve organisational performance through monitoring"
                " sickness absences / staff turnover and proactively resolve/address issues where"
                " performance is affected.",
                "SSP Sickness Absence action plan, Monitor/Review KPI measure staff turnover,"
                " sickness absence rate, cost of sickness, Bradford factor. Review of staff leavers"
                " information – Jul06/Oct06/Jan07/Apr07",
            ),
            (
                "To ensure that all actions, policies, activities, decisions, management processes"
                " and procedures have equality and diversity clearly embedded in SSP culture –"
                " ensuring that no-one is disadvantaged by what we do.",
                "Diversity and RES Action Plan, KPI measures L4 staff survey results, L5 staff"
                " demographics - Jul06/Oct06/Jan07/Apr07",
            ),
        ],
    ),
    # Risk and Governance are printed under "Corporate". The page break then put the heading
    # "Procurement Shared Services" above the rest of the Corporate rows, and the conversion
    # printed that block's 12 objectives and then its 12 KPI texts. Paired in order, each pair
    # reads right: Business Planning / June 06; Communications / L4 staff survey, L7
    # communications; Benchmarking / July 06; SLAs / signed SLAs; innovation / KPI being
    # developed; MIS and initial point of contact / progress against plan; race equality in
    # procurement / EIA; collaborative savings and SCEP wave 2 / "KPI designated by each CCG"
    # (a category consultation group, not a clinical commissioning group, in 2006); London hub /
    # first project team meeting; 200% return on investment / F3 200% ROI. So the Corporate
    # department runs on to "To develop and implement a comprehensive initial point of contact"
    # (9 objectives in all) and Procurement Shared Services starts at "Work to develop race
    # equality and diversity in procurement": 5 objectives.
    (
        "Corporate",
        "Corporate",
        "CORP",
        [
            (
                "Risk - To mitigate risks identified by SSP on behalf of partner organisations and"
                " communicate these to our partners",
                "Standards for Better Healthcare / Audit Reviews - Sept06 / Apr07",
            ),
            (
                "Governance - To deliver governance for our partners and host PCT including all"
                " areas",
                "Standards for Better Healthcare / Audit Reviews - Sept06 / Apr07",
            ),
            (
                "Business Planning - To implement a comprehensive business planning framework to"
                " inform work plans of service delivery teams",
                "Progress against plan – June 06",
            ),
            (
                "Communications - To develop and implement an open and transparent communications"
                " strategy and action plan for SSP",
                "Progress against plan - Apr06 / L4 SSP Staff Survey Results / L7 SSP Staff"
                " Communications and Knowledge Transfer",
            ),
            (
                "Benchmarking - To continue benchmarking services to show best value to our"
                " partners and to take forward to market testing if necessary",
                "Progress against plan – July 06",
            ),
            (
                "SLAs - To develop SLAs in line with commercial contracts and to develop output"
                " based measures",
                "Signed SLAs by Sept 06 to inform budget setting for 07/08",
            ),
            (
                "To identify areas of innovation, improving standards and best practice for"
                " application across SSP",
                "KPI being developed",
            ),
            (
                "To contribute to and implement Management Information Systems for all services",
                "Progress against plan",
            ),
            (
                "To develop and implement a comprehensive initial point of contact for SSP to be"
                " effective 2006/07",
                "Progress against plan",
            ),
        ],
    ),
    (
        "Procurement Shared Services",
        "Procurement Shared Services",
        "PSS",
        [
            (
                "Work to develop race equality and diversity in procurement in support of the SSP"
                " race equality scheme but particularly contributing directly to the DH sponsored"
                " Mosaic Project",
                "Contracts reflect sustainability in relation to supporting the local community"
                " (Through EIA)",
            ),
            (
                "Identify, facilitate and, where appropriate lead, projects to deliver greater"
                " savings and efficiencies in the procurement of goods and services through active"
                " collaboration",
                "KPI designated by each CCG appropriate to each category - under review",
            ),
            (
                "Support establishment of Pan London Collaborative Procurement Hub, providing data,"
                " information and resources where appropriate",
                "Being discussed at First project team meeting",
            ),
            (
                "Work with supplies managers and within category consultation groups to deliver"
                " savings under the SCEP national contract programme wave 2",
                "KPI designated by each CCG appropriate to each category - under review",
            ),
            (
                "For the benefit of NHS Trusts and PCTs, provide a greater than 200% return on"
                " investment in the central team employed within SSP",
                "F3 - 200% ROI in year",
            ),
        ],
    ),
]

# Cross-references: reference -> (strategic priority number, short/medium-term objective number).
# Section 7 says each operational objective is cross-referred to the first appropriate strategic
# priority and objective, but the source has no cross-reference table or columns. These links are
# therefore editorial: made only where the objective's own words name the priority's or
# objective's subject; everything else is left unlinked rather than guessed.
CROSS_REFERENCES: dict[str, tuple[int | None, int | None]] = {
    "FAC-1": (7, 2),  # career development: training/develop; "Career Development"
    "FAC-3": (None, 12),  # "Call-Centre": "To develop a call centre"
    "FAC-4": (7, None),  # mandatory training: "Improve training"
    "FAC-5": (1, 1),  # benchmarking, best value to partners, market testing
    "FAC-6": (None, 9),  # "staff changes at Orchard Hill"
    "SUP-2": (2, None),  # "partnership working with PCTs"
    "SUP-3": (None, 10),  # contracts database: "Contracting and Procurement"
    "SUP-5": (None, 10),  # eprocurement: "Contracting and Procurement"
    "PM-1": (3, 4),  # Performance Management Framework
    "PM-2": (3, None),  # methodology that "supports delivery"; not objective 4's PM process
    "FIN-3": (None, 1),  # benchmarking
    "HR-1": (7, 4),  # PDP: "effective personal development planning"
    "HR-2": (7, 2),  # career moves: "Career Development"
    "HR-3": (7, 2),  # "Recruitment & Retention action plan": "Recruitment and Retention plans"
    "HR-4": (7, None),  # staff turnover: retention
    "HR-5": (3, 3),  # equality and diversity: named in priority 3 and objective 3, not in 7
    "CORP-1": (4, None),  # risks, communicated to partners
    "CORP-3": (None, 4),  # business planning framework: "the Business Planning Process"
    "CORP-4": (5, None),  # communications strategy
    "CORP-5": (1, 1),  # benchmarking, best value to partners, market testing
    "CORP-7": (None, 5),  # innovation, improving standards and best practice
    "CORP-8": (6, 6),  # Management Information Systems for all services
    "PSS-1": (None, 10),  # procurement
    "PSS-2": (None, 10),
    "PSS-3": (None, 10),
    "PSS-4": (None, 10),
    "PSS-5": (None, 10),
}

# ---------------------------------------------------------------------------------------------
# KPIs, as coded in the "KPIs to Measure" texts
# ---------------------------------------------------------------------------------------------
# Names use the fullest wording printed; other wordings go in the description. SSP reports
# quarterly to partners (section 10), so quarterly unless the measure is plainly annual (the
# staff survey). A KPI is linked to every objective whose KPI text names its code.

KPIS = [
    {
        "code": "F2",
        "name": "SSP (2) Influencable spend (Supplies)",
        "unit": "£",
        "polarity": Polarity.HIGHER,
    },
    {
        "code": "F3",
        "name": "200% ROI in year",
        "description": "A greater than 200% return on investment in the central team employed"
        " within SSP.",
        "unit": "%",
        "target": Decimal("200"),
        "polarity": Polarity.HIGHER,
    },
    {
        "code": "C5",
        "name": "PCT Site Running Cost per M2 by site",
        "unit": "£ per m2",
        "polarity": Polarity.LOWER,
    },
    {
        "code": "C6",
        "name": "Facilities helpdesk job nos and response times",
        # Job numbers have no better direction, response times lower: no single polarity.
        "polarity": Polarity.NEUTRAL,
    },
    {
        "code": "P1",
        "name": "Sickness Rate (Short/long term per dept)",
        "unit": "%",
        "polarity": Polarity.LOWER,
    },
    {"code": "P2", "name": "Sickness cost (per dept)", "unit": "£", "polarity": Polarity.LOWER},
    {
        "code": "L1",
        "name": "% Mandatory staff training completed",
        "unit": "%",
        "polarity": Polarity.HIGHER,
    },
    {
        "code": "L2",
        "name": "SSP % PDRs completed",
        "description": "Also printed as “% of professional development reviews completed”"
        " (HR / OD / Training).",
        "unit": "%",
        "polarity": Polarity.HIGHER,
    },
    {
        "code": "L4",
        "name": "SSP Staff Survey Results",
        "description": "Also printed as “staff survey results” (HR / OD / Training).",
        "polarity": Polarity.HIGHER,
        "frequency": Frequency.ANNUAL,
    },
    {"code": "L5", "name": "staff demographics", "polarity": Polarity.NEUTRAL},
    {
        "code": "L6",
        "name": "Non Mandatory Staff Training completed",
        "polarity": Polarity.HIGHER,
    },
    {
        "code": "L7",
        "name": "SSP Staff Communications and Knowledge Transfer",
        "description": "Also printed as “Staff Communications and Knowledge Transfer”"
        " (Facilities).",
        "polarity": Polarity.HIGHER,
    },
]

KPI_CODE = re.compile(r"\b([FCPL]\d{1,2})\b")

# ---------------------------------------------------------------------------------------------
# Appendix 3: Summary of Proposed Budgets 2006/07, as printed ("there may be rounding errors")
# ---------------------------------------------------------------------------------------------

SERVICE_LINES = [
    "Membership Fee / O'heads",
    "Management Services",
    "Shared Services",
    "Estates Services",
    "Facilities Services",
]

# (funder as printed, organisation slug or None, one cell per service line, printed row total).
# A printed 0 is a line of 0; a blank cell (None) is no line.
INCOME = [
    (
        "Wandsworth PCT",
        "wandsworth-pct",
        ["101,000", "1,329,709", "953,541", "2,372,555", "475,566"],
        "5,232,372",
    ),
    (
        "Sutton & Merton PCT",
        "sutton-merton-pct",
        ["98,653", "770,536", "1,318,974", "1,555,099", "2,082,494"],
        "5,825,756",
    ),
    (
        "Richmond & Tw PCT",
        "richmond-twickenham-pct",
        ["28,510", "219,152", "83,145", "498,871", "930,352"],
        "1,760,031",
    ),
    ("Kingston PCT", "kingston-pct", ["9,234", "187,807", "59,184", "0", "0"], "256,225"),
    ("Croydon PCT", "croydon-pct", ["9,234", "203,500", "12,000", "17,230", "0"], "241,964"),
    ("SW London Strat HA", "swl-sha", ["1,121", "2,763", "16,254", "0", "0"], "20,138"),
    ("St Georges NHS T", "st-georges-nhs-trust", [None, "60,300", "24,000", None, None], "84,300"),
    ("Others", None, [None, "102,536", "120,000", None, None], "222,536"),
]
# The printed column totals, in SERVICE_LINES order, and the printed grand total.
INCOME_COLUMN_TOTALS = ["247,752", "2,876,303", "2,587,098", "4,443,756", "3,488,412"]
INCOME_GRAND_TOTAL = "13,643,321"

# Expenditure "Analysis by Manager": (manager, description, amount). Only the first line of each
# manager's group prints the manager; the nine lines below "Head of Services" print none, so they
# are read as the Head of Services' lines (the layout groups them under that heading, and no other
# manager is named until the total).
EXPENDITURE = [
    (
        "Chief Operating Officer",
        "Chief Operating Officer (including Premises costs and Host Body costs)",
        "1,213,905",
    ),
    ("Head of Operations", "Head of Operations", "487,866"),
    ("Head of Services", "Head of Services", "124,823"),
    ("Head of Services", "Major Projects", "722,422"),
    ("Head of Services", "Contract Management", "133,250"),
    ("Head of Services", "Primary Care Development", "92,927"),
    ("Head of Services", "Supplies", "350,557"),
    ("Head of Services", "Facilities - Management", "660,688"),
    ("Head of Services", "Transport", "438,376"),
    ("Head of Services", "Facilities- Premises", "3,072,760"),
    ("Head of Services", "Estates - Management & Staff", "1,635,850"),
    ("Head of Services", "Estates - Premises", "4,709,897"),
]
EXPENDITURE_TOTAL = "13,643,321"

# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def money(printed: str) -> Decimal:
    """A printed figure as a Decimal: "1,329,709" -> Decimal("1329709")."""
    return Decimal(printed.replace(",", ""))


@transaction.atomic
def load() -> tuple[Plan, bool]:
    """Create SSP, its partners and its 2006/07 business plan unless the plan is already there."""
    existing = Plan.objects.filter(slug=PLAN_SLUG).first()
    if existing:
        return existing, False
    organisations = _create_organisations()
    ssp = organisations[ORGANISATION["slug"]]
    units = _create_org_units(ssp)
    plan = Plan.objects.create(organisation=ssp, slug=PLAN_SLUG, **PLAN)
    _create_plan_texts(plan)
    _create_analysis(plan)
    kpis = _create_kpis(plan)
    _create_objectives(plan, units, kpis)
    _create_budget(plan, organisations)
    return plan, True


def _org(slug: str, **fields) -> Organisation:
    return Organisation.objects.get_or_create(slug=slug, defaults=fields)[0]


def _create_organisations() -> dict[str, Organisation]:
    """SSP, its host, its partners and other clients, by slug."""
    orgs = {slug: _org(slug, name=name, kind=kind) for name, slug, kind in PARTNERS}
    orgs |= {slug: _org(slug, name=name, kind=kind) for name, slug, kind in OTHER_CLIENTS}
    fields = {k: v for k, v in ORGANISATION.items() if k != "slug"}
    ssp = _org(ORGANISATION["slug"], host=orgs[HOST_SLUG], **fields)
    orgs[ssp.slug] = ssp
    relationships = [(slug, RelationshipKind.PARTNER) for _, slug, _ in PARTNERS]
    relationships += [(slug, RelationshipKind.CLIENT) for _, slug, _ in OTHER_CLIENTS]
    for order, (slug, kind) in enumerate(relationships, start=1):
        ClientRelationship.objects.get_or_create(
            provider=ssp, client=orgs[slug], defaults={"kind": kind, "order": order}
        )
    return orgs


def _create_org_units(ssp: Organisation) -> dict[str, OrgUnit]:
    """Directorates and departments, by name, ordered as listed (directorate before its units)."""
    units: dict[str, OrgUnit] = {}
    order = 0
    for directorate, departments in DIRECTORATES + APPENDIX_2_UNITS:
        if directorate not in units:
            order += 1
            units[directorate] = OrgUnit.objects.get_or_create(
                organisation=ssp,
                name=directorate,
                defaults={"kind": OrgUnitKind.DIRECTORATE, "order": order},
            )[0]
        for name in departments:
            order += 1
            units[name] = OrgUnit.objects.get_or_create(
                organisation=ssp,
                name=name,
                defaults={
                    "kind": OrgUnitKind.DEPARTMENT,
                    "parent": units[directorate],
                    "order": order,
                },
            )[0]
    return units


def _create_plan_texts(plan: Plan) -> None:
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, kind=kind, title=title, body=body, order=n)
        for n, (kind, title, body) in enumerate(SECTIONS, start=1)
    )
    VisionBullet.objects.bulk_create(
        VisionBullet(plan=plan, text=text, order=n) for n, text in enumerate(VISION_BULLETS, 1)
    )
    Value.objects.bulk_create(
        Value(plan=plan, text=text, order=n) for n, text in enumerate(VALUES, start=1)
    )
    StrategicPriority.objects.bulk_create(
        StrategicPriority(plan=plan, number=n, title=title)
        for n, title in enumerate(STRATEGIC_PRIORITIES, start=1)
    )
    StrategicObjective.objects.bulk_create(
        StrategicObjective(plan=plan, number=n, text=text)
        for n, text in enumerate(STRATEGIC_OBJECTIVES, start=1)
    )


def _create_analysis(plan: Plan) -> None:
    PestelDriver.objects.bulk_create(
        PestelDriver(plan=plan, category=category, text=text, order=n)
        for category, drivers in PESTEL
        for n, text in enumerate(drivers, start=1)
    )
    SwotItem.objects.bulk_create(
        SwotItem(plan=plan, quadrant=quadrant, text=text, order=n)
        for quadrant, items in SWOT
        for n, text in enumerate(items, start=1)
    )


def _create_kpis(plan: Plan) -> dict[str, KPI]:
    # The perspective is the code's letter; frequency is the model's default, quarterly,
    # unless the KPI says otherwise.
    kpis = KPI.objects.bulk_create(KPI(plan=plan, perspective=k["code"][0], **k) for k in KPIS)
    return {kpi.code: kpi for kpi in kpis}


def _create_objectives(plan: Plan, units: dict[str, OrgUnit], kpis: dict[str, KPI]) -> None:
    priorities = {p.number: p for p in plan.strategic_priorities.all()}
    objectives = {o.number: o for o in plan.strategic_objectives.all()}
    rows = []
    order = 0
    for _heading, unit, prefix, items in APPENDIX_2:
        for n, (text, measure) in enumerate(items, start=1):
            order += 1
            reference = f"{prefix}-{n}"
            priority, objective = CROSS_REFERENCES.get(reference, (None, None))
            # The due words come from the KPI text, else from the objective ("by Sept 06").
            dated = measure if due_words(measure) else text
            rows.append(
                Objective(
                    plan=plan,
                    kind=ObjectiveKind.OPERATIONAL,
                    org_unit=units[unit],
                    reference=reference,
                    text=text,
                    measure=measure,
                    due_text=due_words(dated),
                    # With no date printed, the objective is for the year: due at its end.
                    due_date=parse_due(dated, plan_start_year=YEAR) or fy.fy_end(YEAR),
                    strategic_priority=priorities.get(priority),
                    strategic_objective=objectives.get(objective),
                    order=order,
                )
            )
    created = Objective.objects.bulk_create(rows)
    Link = Objective.kpis.through
    Link.objects.bulk_create(
        Link(objective=objective, kpi=kpis[code])
        for objective in created
        for code in dict.fromkeys(KPI_CODE.findall(objective.measure))
    )


def _create_budget(plan: Plan, organisations: dict[str, Organisation]) -> None:
    service_lines = ServiceLine.objects.bulk_create(
        ServiceLine(plan=plan, name=name, order=n) for n, name in enumerate(SERVICE_LINES, 1)
    )
    income, totals = [], []
    for funder_order, (label, slug, cells, row_total) in enumerate(INCOME, start=1):
        for service_line, cell in zip(service_lines, cells, strict=True):
            if cell is not None:
                income.append(
                    IncomeLine(
                        plan=plan,
                        financial_year=YEAR,
                        funder=organisations[slug] if slug else None,
                        funder_label=label,
                        funder_order=funder_order,
                        service_line=service_line,
                        amount=money(cell),
                    )
                )
        totals.append((TotalScope.INCOME_FUNDER, label, row_total))
    IncomeLine.objects.bulk_create(income)
    for name, column_total in zip(SERVICE_LINES, INCOME_COLUMN_TOTALS, strict=True):
        totals.append((TotalScope.INCOME_SERVICE_LINE, name, column_total))
    totals.append((TotalScope.INCOME_GRAND, "", INCOME_GRAND_TOTAL))
    totals.append((TotalScope.EXPENDITURE_GRAND, "", EXPENDITURE_TOTAL))
    PrintedTotal.objects.bulk_create(
        PrintedTotal(plan=plan, financial_year=YEAR, scope=scope, label=label, amount=money(amt))
        for scope, label, amt in totals
    )
    ExpenditureLine.objects.bulk_create(
        ExpenditureLine(
            plan=plan,
            financial_year=YEAR,
            manager=manager,
            description=description,
            amount=money(amount),
            order=n,
        )
        for n, (manager, description, amount) in enumerate(EXPENDITURE, start=1)
    )
