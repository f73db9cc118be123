"""Demo organisation 2: Castle Point & Rochford and Southend CCGs' OD Strategy and Action Plan.

Transcribed from ../shared/reference/ccg-od-strategy-action-plan-2018-21.txt (Version 4.0,
ratified January 2020). The data below follows the document's order; repairs of rows that the
text conversion broke are noted where they are made.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db import transaction

from objectives.duedates import parse_due
from objectives.models import Goal, Objective, ObjectiveKind, ProgressStatus, ProgressUpdate
from objectives.services import objective_apply_update
from planning.models import (
    Organisation,
    OrganisationKind,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    Programme,
    Role,
    SectionKind,
)

USER_PREFIX = "ccg"
PLAN_SLUG = "ccg-od-strategy-2018-21"

# The plan is held jointly by NHS Castle Point and Rochford CCG and NHS Southend CCG, which
# share one management structure. We load one joint organisation that names both members rather
# than the two CCGs linked by a ClientRelationship (which means "provides services to").
ORGANISATION = {
    "name": "Castle Point & Rochford and Southend CCGs",
    "short_name": "CP&R and Southend CCGs",
    "slug": "cpr-southend-ccgs",
    "kind": OrganisationKind.CCG,
}

PLAN = {
    "kind": PlanKind.OD_STRATEGY,
    "title": "Organisational Development Strategy and Action Plan",
    "start_year": 2018,  # 2018/19 ...
    "end_year": 2020,  # ... to 2020/21: "2018-21"
    "version_label": "4.0",
    "status": PlanStatus.RATIFIED,
    "ratified_by": "CCG Governing Body",
    "date_ratified": dt.date(2020, 1, 1),  # "January 2020"
    "director_sponsor": "Director of Strategy and Planning",
    "author": "AD of Assurance",
    "date_issued": dt.date(2020, 1, 1),  # "January 2020"
    "review_date": dt.date(2022, 1, 1),  # "January 2022"
    "target_audience": "All CCG Staff",
    "vision": (
        "Our vision is to enable the people of Castle Point, Rochford and Southend to live longer,"
        " healthier and happier lives by working with our partners to create resilient and"
        " sustainable communities, with a focus on empowerment, self-care and maximising the local"
        " community assets, supported by high quality, cost-effective, caring and compassionate"
        " statutory services."
    ),
    "aim": (
        "The key aim of the CCGs' OD Strategy is to ensure that we have a positive, well trained"
        " and high performing workforce that understand the opportunities available to support"
        " them in transforming care across the local healthcare system."
    ),
}

FIGURE_MISSING = "[Figure not available in the source text]"

# (kind, title, body). Plain text: blank lines between paragraphs, bullets as "- " lines.
# Editorial changes: the converter's *italic*/**bold** marks and the "- " it put before the
# numbered paragraphs 4.1, 5.1 and 5.2 are dropped; two paragraphs it split across a page break
# (2.2 "This engagement will be / key to ..." and 2.7.3 "the 2017/18 / results.") are rejoined;
# the four OD programme areas of section 3 are shown as bullets; Figures 1 and 2 were images.
SECTIONS = [
    (
        SectionKind.INTRODUCTION,
        "1. Introduction",
        """\
The NHS is facing the great challenge of improving the quality of care provided to patients in an equally challenging financial environment.

Our vision is to enable the people of Castle Point, Rochford and Southend to live longer, healthier and happier lives by working with our partners to create resilient and sustainable communities, with a focus on empowerment, self-care and maximising the local community assets, supported by high quality, cost-effective, caring and compassionate statutory services. Our priorities for 2018/21 focus on: improving population health approaches, the creation of 'localities' as the preferred place of integrated care, and; moving to a more preventative approach to care.

Working more formally, and through the creation of aligned management arrangements, with our partners at Essex County Council, Southend CCG and Southend Borough Council, we will support our GPs to work closer together, supported by community services and social care to better manage the population as a whole, proactively supporting those with health and care needs to remain in their community for long as possible.

We will also work with other organisations in Essex, supported by the STP to help local hospitals work more closely together to provide centres of excellence. Underpinning our Operational Plan is our desire to help patients and the public have greater control and responsibilities for maintaining and improving their own health.

The OD Strategy is intended to sit alongside and support the implementation of other associated strategies in the CCGs, such as the Five Year Forward View, Workforce Strategy and Primary Care Strategy.

The key aim of the CCGs' OD Strategy is to ensure that we have a positive, well trained and high performing workforce that understand the opportunities available to support them in transforming care across the local healthcare system.

The Organisational Development Strategy has been developed taking into account the Capacity and Capability review undertaken by PwC late 2017, on behalf of Southend CCG. Castle Point and Rochford and Southend CCGs have both embraced the actions that were identified within this report and these are included within this OD programme. The two main strands (technical and functional or behavioural) of development identified relate to our core competencies in respect of the values and beliefs of staff writing the CCGs and other competencies that reflect their role and responsibility.

The talent mapping process has highlighted that we need to provide additional training to staff in relation to role modelling the values of the CCGs and ensuring that our behaviours reflect these.

The functional components are the technical things that are specific to the job. For example, Digital Marketing Officer needs training in digital media design.

Behavioural components are the soft skills that make a person successful in their role and are more universal in nature across a wide range of roles. For example, all managers need to portray good communication skills when dealing with their teams and others.

The importance placed on the functional and behavioural components of each of these areas reflect the culture and values of our CCGs.

The CCGs will ensure that all staff training and development activities are developed and delivered with due regard to fairness and equity. All applications for staff training and development will be considered strictly on merit and relevance. Access to training and development activities will be monitored and reported by demographic group, as required by law. In addition, specific programmes will be developed to meet the needs of under-represented and minority groups within the workforce.""",  # noqa: E501
    ),
    (
        SectionKind.BACKGROUND,
        "2.1 National Context",
        """\
The NHS is facing the great challenge of improving the quality of care provided to patients in an equally challenging financial environment.

The landscape of commissioning for NHS organisations continues to evolve, and we need to respond accordingly to local and national changes. We have adopted delegated commissioning which offers us an opportunity to assume full responsibility for the commissioning of primary medical services. This ensures commissioning decisions are driven by local knowledge and priorities and benefit the local health economy. We will continue to plan for integrated commissioning, progressed through the Better Care Fund (BCF) and overseen by Essex and Southend's Health and Wellbeing Boards.

For 2019/21 we have a significant QIPP programme to enable us to fulfil our financial plans and transform services to ensure sustained quality and financial stability.""",  # noqa: E501
    ),
    (
        SectionKind.BACKGROUND,
        "2.2 Local Context",
        """\
There has been great progress in the development of local systems of care, or what we refer to as 'localities' – bringing together all resources in the community in a cohesive way – provided by NHS/Local Authority/Community Services/Voluntary with a focus on prevention, joining up services, keep people well and in their own homes and in their communities.

We are developing eight localities across south east Essex.

As part of the same journey, we have launched a plan to make it easier to see a GP when you really need to, there will be a wider range of health and care professionals across our localities to use to free up more of the GPs time.

The next part of the journey will be involving the communities themselves. We want to work together to bring services together around needs of our population. This engagement will be key to better understand those needs with local leadership/ownership and this OD Strategy is key to supporting this work.""",  # noqa: E501
    ),
    (
        SectionKind.BACKGROUND,
        "2.3 CCG Governing Body",
        """\
As the leadership entity across the CCGs the Governing Body members need to lead by example, ensure that clear organisational goals and behaviours are set and that they hold one another to account for delivery of these goals.

During 2017-19 the CCGs participated in the NHSE Commissioning and Capability Organisational Development Programme. The Governing Bodies across both CCGs recognise the importance of Organisational Development and subsequently agreed to commission the Good Governance Institute to undertake a three month Governing Body development programme running from October to December 2018, allowing rapid improvements in Governing Body capacity and capability whilst also providing opportunity for learning and sharing between the two CCGs and improve collaborative working relationships. This programme of work was followed up with further support from PwC in respect of an organisational wide OD programme implemented during 2019/20.""",  # noqa: E501
    ),
    (
        SectionKind.BACKGROUND,
        "2.4 CCG Staff",
        """\
The core organisational team will be responsible for delivering the CCGs' Operational and transformational plans, working with partners and the public to bring about transformational change.

Team development sessions, joint learning sessions and away days will continue to be a key commitment for the CCGs during 2019-20 to support wider engagement of all staff in the vision, values and objectives of the CCGs and to support two-way communication. Staff input will continue to help shape our organisational priorities and how we do business and this will be supported by the CCGs' Staff Involvement Group.

A training budget has been set across both CCGs and staff will have access to a range of in-house and external learning and development opportunities which are key to recruitment and retention. The CCGs will undertake an audit of what skills and competencies are required to deliver system transformation through its commissioning functions.

During September 2018 North East Essex CCG agreed to act as a 'buddy' organisation to the CCGs and we reviewed and adopted best practice from North East Essex and other outstanding CCGs. The lessons learnt from this partnership have been included within the actions outlined in section 6 of this strategy.

The CCG will ensure that all teams and individuals have a set of objectives that map onto the CCG's overarching objectives and priorities. Performance will be monitored at team and individual level and appraisal review meetings will be held on an annual basis with 6 monthly reviews undertaken.

The appraisal process is actively monitored across the CCGs to ensure 100% of appraisals are completed and the outcomes from these reviews are fed into the OD Programme.""",  # noqa: E501
    ),
    (
        SectionKind.BACKGROUND,
        "2.5 Member Practices",
        """\
As member organisations it is vital that the CCGs proactively engage with all of our GP practices across Castle Point and Rochford and Southend localities and supports them to develop sustainable General Practice services. The CCGs have a signed Constitution which outlines the relationship between the CCG and member practices.

The OD Strategy aligns with the CCGs' Workforce Strategy and supports the recruitment and retention proposals for the area. GP recruitment has been a significant issue in recent years across the Essex area and therefore how the CCGs support primary care to attract GPs and practice staff to work in the borough is vital.

The CCG has led on developing an Essex-wide Workforce Strategy which includes the infrastructure to support the on-going professional development of all primary care staff.""",  # noqa: E501
    ),
    (
        SectionKind.BACKGROUND,
        "2.6 Wider Stakeholders",
        """\
Many of the CCGs' organisational objectives require change across the wider system and partner organisations. The CCGs cannot deliver transformation on their own and the way in which we embrace and engage with our partners is crucial to the delivery of our plans and transformation of our local health and care services.""",  # noqa: E501
    ),
    (
        SectionKind.BACKGROUND,
        "2.7 Engagement",
        """\
2.7.1 The CCG Governing Bodies acknowledge that engagement is an area that requires significant improvement during 2018-20 both internally and externally. Following the results of the CCGs' Staff Surveys and 360 Stakeholder Surveys, plans have been developed to improve upon our communications and engagement strategies and ensure that we improve upon future results.

2.7.2 360 Stakeholder Survey

A key component of our engagement work is the annual 360 degree Stakeholder Survey. The uptake rate of the 2017-18 annual survey was disappointing, especially for the Southend area where key stakeholders did not respond to the survey. As part of the CCGs restructure and move towards a joint management structure across both CCGs the Communications and Engagement Team has been increased to include additional resources to support our engagement work across the localities and work is taking place with local stakeholders to ensure that our engagement practices are in line with our partners across the system.

2.7.3 2017/18 Staff Survey

The 2017/18 staff survey results highlighted a number of key areas requiring significant improvement and an action plan has been developed with input and feedback from the CCGs' Staff Involvement Group to address these areas of concern. The action plan focuses on improving internal communications, appraisal systems, objective setting, recruitment and retention strategies, line management training and behaviours.

The results from the 2018/19 survey have been reviewed in conjunction with the outputs from the appraisal process and there has been significant improvement upon the 2017/18 results. The CCGs continue to build on the feedback from our staff and this is reflected within the attached action plan.""",  # noqa: E501
    ),
    (
        SectionKind.STRATEGIC_ANALYSIS,
        "3. Our OD approach",
        """\
This Organisational Development strategy provides a framework to continue to bring this vision to life. Its aim is to align a range of activities to raise the performance of the organisation in order to deliver our stated ambition. In writing the plan, we have recognised a number of competing priorities and so it is important to ensure that we move forward with urgency, but in a planned way.

The Organisational Strategy sets out our plans, our ambitions and our commitment to all staff across the CCGs. The Strategy details the way in which we intend to work with staff, line managers and other stakeholders to help everyone reach their potential.

Our staff are instrumental in the achievement of our objectives and delivery of our operational plans. Our success is dependent upon the quality and commitment of our staff, in achieving our collective vision. We are committed to nurturing and developing our staff and maximising the opportunity for everyone to contribute to attaining these aspirations.

There are many different approaches to OD and several different models from which a programme of support may be drawn. The requirements of primary health care led organisations like CCGs; reflect the need to consider the different facets that impact on organisational effectiveness, both internal and external.

In order to consider the varying factors which impact on a CCG and its capability to deliver in this continually changing environment, the NHS Leadership model is a helpful framework for exploring the OD needs of the organisation. This model considers the themes and dimensions that contribute to effective CCG leadership at all levels in the organisation. The model explores the areas of system, team and individual effectiveness.

Based on research and created through extensive consultation, the Leadership Framework has been tailored to the specific needs and environment of health and social care, and is applicable to all staff at any stage of their career. It sets out the expectations of leadership at every level of the system and provides guidance to those who commission leadership development.

By utilising an adaptation of the model to prepare the organisational development strategy, the approach has enabled a recognition and assessment of the requirements of the CCGs' future plans. This also supports the relevant recommendations set out in Southend CCG's Improvement Plan. The action plan attached to this strategy outlines interventions for 2018-21 which will begin to address the developmental areas identified (Appendix A).

The six domains identified by NHS England in their 'Framework for Excellence in Commissioning', sets out the expectations for CCGs in the delivery of their commissioning duties.

The six domains are as follows:

- As strong clinical and multi-professional focus with significant member engagement
- Meaningful involvement of patients, carers and the public
- Clear and credible plans
- Robust governance arrangements
- Collaborative commissioning
- Clinical leadership

To assist in the delivery of these domains the CCGs have identified OD programmes of work covering the following areas:

- Leadership, structure and behaviours
- Financial management
- Governance and reporting arrangements
- Commissioning, contracting and transformation""",  # noqa: E501
    ),
    (
        SectionKind.IMPLEMENTATION,
        "4. Talent Mapping and Succession Planning",
        """\
4.1 The CCGs' Talent Mapping exercise has been undertaken following the NHS 'Maximising Potential' framework. This helps to identify those individuals who are highly performing, as well as those who need interventions to perform at their expected level to meet the requirements of their job description.

To support line managers in discussing performance with their staff the CCGs' have adopted utilisation of the 'People Management' toolkit and training is to be provided to all line managers in relation to appraisals, difficult conversations and managing poor behaviour/performance.""",  # noqa: E501
    ),
    (
        SectionKind.VALUES,
        "5. Vision and Values",
        f"""\
5.1 During 2017/18 Castle Point and Rochford and Southend CCG Governing Bodies approved an agreed set of vision and values, as outlined in Fig. 1 below.

Fig. 1: {FIGURE_MISSING}

5.2 During 2019/20 Castle Point and Rochford and Southend CCG Governing Bodies review the CCGs' commissioning priority areas as summarised in Fig.2 below.

Fig. 2: {FIGURE_MISSING}""",  # noqa: E501
    ),
]

# Every abbreviation in the SRO and OP Lead columns, in order of first use, with its title.
ROLES = [
    ("AO", "Accountable Officer"),
    ("DSP", "Director of Strategy and Planning"),
    ("ADA", "Associate Director of Assurance"),
    ("DIP (CPR)", "Director of Integration and Partnerships (Castle Point and Rochford)"),
    ("ID", "ID"),
    ("CN", "Chief Nurse"),
    ("CETO", "CETO"),
    ("PCNL", "Primary Care Nurse Lead"),
    ("Chair", "Chair"),
    ("Exec", "Executive Team"),
    ("ADO", "ADO"),
    ("ETO", "Education and Training Officer"),
    ("ADIP", "Associate Director of Integration and Partnerships"),
    ("MA", "MA"),
    ("CFO", "Chief Finance Officer"),
    ("DCFO", "Deputy Chief Finance Officer"),
    ("ADQ", "Associate Director of QIPP"),
    ("HRBP", "HR Business Partner"),
    ("DPCO", "DPCO"),
]

# Where each title comes from. The document itself expands none of the abbreviations.
ROLE_SOURCES = {
    "AO": "glossary; the document's domain leads say 'Accountable Officer'",
    "DSP": "glossary; the document's director sponsor and action 6.2",
    "ADA": "glossary; the document's author is 'AD of Assurance'",
    "CN": "document: action 6.10 (SRO CN) begins 'Chief Nurse to represent CCGs'",
    "CFO": "glossary; the document's domain leads say 'Chief Finance Officer'",
    "DIP (CPR)": "expansion assumed (not in the document or glossary)",
    "ADIP": "expansion assumed, by analogy with DIP",
    "PCNL": "expansion assumed (action 6.11 on practice nurse development)",
    "Exec": "expansion assumed: the document's 'Executive Team' (action 6.1)",
    "ETO": "expansion assumed (action 6.33 names the 'Education and Training teams')",
    "DCFO": "expansion assumed",
    "ADQ": "expansion assumed (actions 7.5 and 9.1 are about QIPP)",
    "HRBP": "expansion assumed",
    "Chair": "as written: the Governing Body's chair",
    "ID": "not expanded: unknown",
    "CETO": "not expanded: unknown (perhaps a CEPN/clinical education and training officer)",
    "ADO": "not expanded: unknown",
    "MA": "not expanded: unknown",
    "DPCO": "not expanded: unknown",
}


class Domain(NamedTuple):
    number: int
    title: str
    aim: str
    lead_text: str
    lead_role: str  # abbreviation


DOMAINS = [
    Domain(
        6,
        "Leadership, Structure and Behaviours",
        "To reset the CCGs leadership, management structures and organisational behaviours /"
        " culture.",
        "Accountable Officer",
        "AO",
    ),
    Domain(
        7,
        "Financial Management",
        "Develop a clearly defined Financial Recovery Plan and ensure appropriate capacity and"
        " capability is in place to deliver the plan.",
        "Chief Finance Officer",
        "CFO",
    ),
    Domain(
        8,
        "Governance and Reporting Arrangements",
        # The conversion scrambled this aim across four lines; this is its reading.
        "Committee structures should be fit for purpose, focused on areas of responsibility and"
        " provide timely assurance to the Governing Body.",
        "Accountable Officer",
        "AO",
    ),
    Domain(
        9,
        "Commissioning, Contracting and Transformation",
        "Ensure GB members and Staff are supported to deliver the CCGs' organisational objectives"
        " and transformation plans",
        "Chief Finance Officer",
        "CFO",
    ),
]


class Action(NamedTuple):
    reference: str
    text: str  # without the number and the "(NEW)" mark
    sro: str  # as written
    lead: str  # as written, but "ADA/E TO" repaired to "ADA/ETO"
    due: str  # "By When" as written
    measure: str
    progress: str  # as written; "" when the cell is empty
    new: bool = False


class ODGoal(NamedTuple):
    domain: int
    section: str  # domain 6's sub-heading, else ""
    title: str
    actions: list[Action]


A = Action

GOALS = [
    ODGoal(6, "Governing Body", "High performing and effective Governing Body", [
        A("6.1", "Commission external OD resource to develop a robust training programme for the CCGs' Executive team, Governing Body members and staff where necessary.", "AO/DSP", "ADA", "Dec 2018", "Skills and competencies in place across the Executive Team to effectively contribute at an Executive level.", "Completed"),  # noqa: E501
        A("6.2", "Establish a joint management structure across the two CCGs, ensuring that the Governance and performance portfolio is moved from CFO to the Director of Strategy and Planning", "AO", "ADA", "Oct 2018", "Revised structure in place", "Completed"),  # noqa: E501
        A("6.3", "Induction programme in place for all new GB members.", "AO/DSP", "ADA", "Oct 2018", "", "Completed"),  # noqa: E501
        A("6.4", "Personal Development Plan in place for each GB member.", "AO/DSP", "ADA", "Oct 2018", "", "Completed"),  # noqa: E501
        A("6.5", "Ensure all GB members have an annual appraisal and review PDP.", "AO", "ADA", "Nov 2018", "", "Completed"),  # noqa: E501
    ]),
    ODGoal(6, "Governing Body", "Robust succession plan for GP GB members to ensure pipeline of future clinical leaders", [  # noqa: E501
        A("6.6", "Review of GP GB portfolios to focus on delivery of clinical transformation.", "AO/ DIP (CPR)", "ID", "Oct 2018", "", "Completed"),  # noqa: E501
        A("6.7", "Review of 2018/19 clinical lead allocation.", "AO/ DIP (CPR)", "ID", "Oct 2018", "", "Completed"),  # noqa: E501
        A("6.8", "Develop CCG and primary care leaders through use of national schemes.", "AO/ DIP (CPR)", "ADA", "Mar 2019", "", "Completed - ongoing"),  # noqa: E501
    ]),
    ODGoal(6, "Member Practices", "Support clinical leadership development", [
        A("6.9", "Develop clinical leaders in primary care through national leadership schemes such as General Practice Improvement Leaders.", "DIP (CPR)", "ADA", "Jan 2019", "Training needs identified and training offered", "Completed and ongoing"),  # noqa: E501
    ]),
    ODGoal(6, "Member Practices", "Primary Care Workforce Development", [
        A("6.10", "Chief Nurse to represent CCGs at monthly Clinical Education Practice Network meeting (CEPN).", "CN", "CETO", "Apr 2018", "Chief Nurse attends monthly CEPN meetings", "Completed and ongoing"),  # noqa: E501
        A("6.11", "CCGs to provide senior nursing leadership to the development of infrastructure to support practice nurse professional development.", "CN", "PCNL", "Apr 2018", "Practice nurse development sessions provided at monthly Time To Learn by Chief Nurse", "Completed and ongoing"),  # noqa: E501
        A("6.12", "CCGs to support the co-ordination of the monthly Time To Learn programme.", "Chair", "CN", "Apr 2018", "Continued co-ordination of the monthly TTL programme", "Completed and ongoing"),  # noqa: E501
    ]),
    ODGoal(6, "CCG Staff", "To support CCG staff in their roles", [
        A("6.13", "Ensure that all staff are aware of the CCGs vision and values and key priorities.", "AO/DSP", "ADA", "July 2018", "CCGs' vision and values reviewed and communicated to staff", "Completed and ongoing"),  # noqa: E501
        A("6.14", "Ensure monthly 1-1s for all staff.", "AO", "Exec", "Nov 2018", "100% staff receiving 1-1s at least monthly", "Completed and ongoing"),  # noqa: E501
        A("6.15", "Ensure regular team meetings (Quarterly)", "AO", "Exec", "Nov 2018", "100% of team meetings held at least quarterly", "Completed and ongoing"),  # noqa: E501
        A("6.16", "Annual appraisal undertaken for 2018/19 and PDP development plan in place.", "AO", "ADA", "Nov 2018", "100% of appraisals undertaken and PDPs in place", "Completed and ongoing"),  # noqa: E501
        A("6.17", "Appraiser and appraise training offered to all staff.", "AO", "ADA", "Nov 2018", "Relevant training attended by staff", "Completed and ongoing"),  # noqa: E501
        A("6.18", "To review the results of the CCGs' Staff Survey and implement action plan.", "AO/DSP", "ADA", "May 2019", "Staff Survey action plan implemented and improvement 2017/18 results achieved", "Completed and ongoing"),  # noqa: E501
    ]),
    ODGoal(6, "CCG Staff", "To complete recruitment to all current vacancies", [
        A("6.19", "Recruitment tracker monitored on a weekly basis.", "AO/DSP", "ADA", "May 2018", "Recruitment tracker reviewed and queries raised with HR.", "Completed and ongoing"),  # noqa: E501
        A("6.20", "Implement Trac recruitment system across both CCGs", "DSP", "ADA", "Mar 2020", "", "", new=True),  # noqa: E501
    ]),
    ODGoal(6, "CCG Staff", "Improve core line management skills", [
        A("6.21", "Agreed set of core line management skills identified and training offered to all line managers.", "AO/DSP", "ADA", "Mar 2019", "Improvement on 2017/18 staff survey scores.", "Completed and ongoing"),  # noqa: E501
    ]),
    ODGoal(6, "CCG Staff", "Workforce development and resilience", [
        A("6.22", "Invest in staff e.g. annual staff awards schemes, access to wellbeing activities and staff away days.", "AO/DSP", "ADA", "Sept 2018", "Programme of Executive / staff development sessions scheduled throughout the year", "Completed and ongoing"),  # noqa: E501
        A("6.23", "Effective two way communication with staff and views of staff sought on a regular basis.", "AO", "Exec", "Nov 2018", "Staff communication plan in place that includes feedback from staff conversations and key organisational updates", "Completed and ongoing"),  # noqa: E501
        A("6.24", "Embed a coaching and mentoring culture across the CCGs.", "AO/DSP", "ADA", "Sept 2018", "100% staff requested a coach / mentor supported by the CCGs to establish this arrangement", "Completed and ongoing"),  # noqa: E501
        A("6.25", "Review Staff Involvement Group and ensure that members provide input into training and development of all staff.", "AO/DSP", "ADA", "Dec 2019", "Joint Staff Involvement Group in place and meeting", "Completed and ongoing"),  # noqa: E501
        A("6.26", "Appoint ten 'Speak Up Champions' across the CCGs for all staff groups", "DSP", "ADO", "Jan 2020", "10 speak up champions in place", "In progress – applications received", new=True),  # noqa: E501
        A("6.27", "Appointment of Mental Health First Aider", "DSP", "ETO", "Mar 2020", "Mental Health First Aiders in place", "", new=True),  # noqa: E501
        A("6.28", "Develop pool of mentors across the CCGs", "DSP", "ADA", "Mar 2020", "Additional mentors in place and aligned to staff.", "In progress", new=True),  # noqa: E501
        A("6.29", "Source formal coaching training for staff undertaking a mentorship role", "DSP", "ETO", "Mar 2020", "Training provided where necessary.", "In progress", new=True),  # noqa: E501
        # The conversion moved this row's last words "for staff (NEW)" to a line of their own.
        A("6.30", "Raise awareness re 'Move out' – supporting a healthy workforce sessions for staff", "DSP", "ETO", "Mar 2020", "Information circulated.", "In progress", new=True),  # noqa: E501
        A("6.31", "Provide mindfulness training, getting staff active and general wellbeing", "DSP", "ETO", "Mar 2020", "Training completed.", "In progress", new=True),  # noqa: E501
    ]),
    ODGoal(6, "CCG Staff", "Workforce development and resilience/supporting staff through the change process", [  # noqa: E501
        A("6.32", "Reinstate vacancy reports following transfer to ArdenGem", "DSP", "ADA", "Dec 2019", "Vacancy/recruitment reports shared with CMT.", "Completed", new=True),  # noqa: E501
        A("6.33", "Train internal CCG staff within the Workforce /Education and Training teams to provide Insights training for all staff.", "DSP", "ADA", "Mar 2020", "Two members of CCG staff trained to cascade training.", "In progress – training booked.", new=True),  # noqa: E501
        # "(NEW) ." in the source: the full stop after the mark is kept as the sentence's own.
        A("6.34", "Align ADs Forum agenda planner, to CEC agenda and Wider Leadership Group to ensure that sufficient work is undertaken to support discussions at the meeting.", "DIP (CPR)", "ADIP", "Jan 2020", "Forward agenda planners aligned.", "In progress.", new=True),  # noqa: E501
        A("6.35", "Provide face to face Equality and Diversity training for all staff as part of the mandatory training programme (previously online)", "DSP", "ADA/ETO", "Mar 2020", "Training completed.", "In progress – training provider being sourced.", new=True),  # noqa: E501
        A("6.36", "Review CCGs' Equality and Diversity Strategy and Action Plan and present to staff at a dedicated session.", "DSP", "ADA/ETO", "Mar 2020", "Revised strategy in place and staff awareness sessions provided.", "In progress", new=True),  # noqa: E501
        A("6.37", "Extend the CCGs' Succession Plan to include all staff.", "DSP", "ADA", "Mar 2020", "Succession plan reviewed to include all staff groups.", "In progress.", new=True),  # noqa: E501
        A("6.38", "Present updated talent map to CMT for review.", "DSP", "ADA", "Jan 2020", "Talent Map completed.", "Completed", new=True),  # noqa: E501
        A("6.39", "Arrange CCG away day for all staff.", "DSP", "ADA", "Feb 2020", "Away Day held.", "Completed", new=True),  # noqa: E501
        A("6.40", "Ensure CCGs' apprentices are appropriately supported to receive a wide range of training and development.", "DSP", "ADA", "Mar 2020", "Apprenticeships completed and support provided to enable candidates secure careers within the NHS.", "In progress.", new=True),  # noqa: E501
        A("6.41", "Interview training and CV writing skills courses provided for all staff.", "DSP", "ADA/ETO", "Jun 2020", "Training provided.", "In progress", new=True),  # noqa: E501
        # The conversion dropped this row's empty OD Goal cell: it belongs to the goal above.
        A("6.42", "Roll out Prince 2 / Agile training to all relevant staff across the CCGs", "DSP", "ETO", "Jun 2020", "Training provide.", "In progress", new=True),  # noqa: E501
    ]),
    ODGoal(6, "Organisational Level", "Proactive support to GB and staff to develop skills required of high performing commissioners", [  # noqa: E501
        A("6.43", "Develop and implement talent mapping framework.", "AO/DSP", "ADA", "July 2018", "Talent mapping exercise undertaken", "Completed"),  # noqa: E501
        A("6.44", "Commission external provider to undertake OD programme with CCG Governing Bodies.", "AO", "MA", "Oct 2018", "Programme commissioned", "Completed"),  # noqa: E501
    ]),
    ODGoal(6, "Organisational Level", "Build the capacity and capability of the CCGs' workforce to transform local health services", [  # noqa: E501
        A("6.45", "Undertake a skills audit with support from GGI and PwC.", "AO/DSP", "ADA", "Sept 2018", "Skills audit undertaken", "Completed"),  # noqa: E501
    ]),
    ODGoal(6, "Organisational Level", "Deliver the CCGs' Communications and Engagement Strategy", [
        A("6.46", "Ensure that the CCGs' GB members and staff have the skills required to effectively engage with our community and stakeholders with support from GGI and PwC.", "AO/DSP", "ADA", "Feb 2019", "Positive 360 Stakeholder Survey 2019", "Completed"),  # noqa: E501
    ]),
    ODGoal(6, "Organisational Level", "Embed behaviours to accelerate performance and deliver the 5 Year Forward View", [  # noqa: E501
        A("6.47", "Refresh organisational values, describing the behaviours to help embed values that demonstrate inclusive, effective and compassionate leaders at all levels.", "AO", "Exec", "Oct 2018", "Establish open and honest culture", "Completed"),  # noqa: E501
    ]),
    ODGoal(7, "", "A clearly defined FRP should be urgently developed to allow the CCG to map out how and when it can recover to NHS England business rules and identify key risks and mitigations on the road to recovery.", [  # noqa: E501
        A("7.1", "Review of SOs and SFIs undertaken and training provided to 100% of staff.", "CFO", "DCFO", "Oct 2018", "SOs and SFIs reviewed and training provided to 100% of staff.", "Completed"),  # noqa: E501
    ]),
    ODGoal(7, "", "Ensure that there are sufficient resources available to support the development of GB member and CCG staff, ensuring that there are appropriate skills across the organisations to undertake the required level of challenge of financial and non financial performance", [  # noqa: E501
        A("7.2", "Training budget identified for 2018/19.", "CFO", "DCFO", "March 2018", "£30k training budget set aside for 2018/19 both CCGs.", "Completed"),  # noqa: E501
        A("7.3", "Provide budget holder training in line with CCG Budgetary Control Policy.", "CFO", "DCFO", "Sep 2018", "100% of Budget Holders to attend budget holder training session.", "Completed"),  # noqa: E501
        A("7.4", "Training plan developed for Finance Team following outcomes of skills audit.", "CFO", "DCFO", "Sep 2018", "Training plan in place, supported by appropriate level of funding.", "Completed"),  # noqa: E501
    ]),
    ODGoal(7, "", "Robust QIPP identification, delivery and monitoring arrangements in place", [
        A("7.5", "Recommendations from 2017/18 QIPP audit implemented.", "CFO/DSP", "ADQ/ADA", "March 2019", "Audit recommendations fully implemented", "Completed"),  # noqa: E501
    ]),
    ODGoal(8, "", "Improve governance and reporting arrangements across the CCGs, eliminating duplication where possible", [  # noqa: E501
        A("8.1", "Rolling GB and staff training programme covering all Governance topics reviewed with feedback from staff and revised programme commenced.", "AO/DSP", "ADA", "July 2018", "Governance Training and OD programme in place", "Completed and ongoing"),  # noqa: E501
        # Written "8.2 - 100% of ...": the dash only separates the number from the text.
        A("8.2", "100% of governance breaches investigated and lessons learned exercise undertaken with staff involved.", "AO/DSP", "ADA", "Oct 2018", "Governance Team undertaken RCA of Governance breaches. IG breaches currently investigated automatically and lessons learnt shared with staff.", "Completed and ongoing"),  # noqa: E501
        A("8.3", "Staff held to account for governance breaches where appropriate.", "AO/DSP", "Exec", "July 2018", "Difficult conversation and appraisal training provided to CCG Management Team.", "Completed and ongoing"),  # noqa: E501
        A("8.4", "Review best practice and revise performance reports, ensuring sufficient recovery plans are in place and implemented within the agreed timeframes.", "AO/DSP", "ADA", "July 2018", "Integrated performance report in place", "Completed"),  # noqa: E501
        A("8.5", "Review agenda management arrangements in place across all sub-committees and GB meetings and provide workshops to relevant staff in relation to report writing.", "AO", "ID", "Oct 2018", "Clear agenda management arrangements in place and communicated to staff", "Completed"),  # noqa: E501
        A("8.6", "Provide training session for Governing Body members to support sufficient challenge of financial and non-financial performance.", "CFO", "DCFO", "July 2018", "GB Seminar training session held", "Completed"),  # noqa: E501
        A("8.7", "Review Risk Management Strategy and training provided to staff to ensure that risks are appropriately identified and communicated across the organisation / system.", "AO/DSP", "ADA", "Mar 2018", "Risk Management processes reviewed as 'Good' by Internal Auditors", "Completed"),  # noqa: E501
    ]),
    ODGoal(8, "", "Supporting organisational compliance with policies and procedures", [
        A("8.8", "Ensure HR Policies and Procedures are reviewed in line with all legal requirements", "DSP", "ADA/HRBP", "Jan 2020", "HR policies and procedures reviewed to support line managers during the transition to one CCG across the STP.", "In progress", new=True),  # noqa: E501
    ]),
    ODGoal(9, "", "The PMO should review the return on investment of QIPP schemes and stop further investments when QIPP schemes are not viable or are generating negative savings", [  # noqa: E501
        # The source runs a list together in one sentence; kept as written.
        A("9.1", "Conduct a series of workshops to review the demand management QIPP schemes. Specific focus on: Initial modelling and assumptions undermining the impact on patients and ROI. Establishing ambitious but realistic targets Ensuring the value of the impact of the schemes both financially and clinically. Create a specification that delivers the agreed service with clear measurable. Regular feedback to be provided to FRG and Executive Team.", "CFO", "ADQ/ADA", "April 2018", "QIPP workshops held and benefits realisation undertaken/opportunities identified.", "Completed and ongoing"),  # noqa: E501
    ]),
    ODGoal(9, "", "Commissioning and contracting negotiations need to be undertaken at a more senior level; in particular negotiations with SUHFT, where there are significant challenges, should be led by the AO in order to urgently reach an agreement.", [  # noqa: E501
        A("9.2", "Ensure that there is robust succession planning processes in place and negotiation training for all Executives to ensure that these negotiations are conducted appropriately.", "AO", "CFO", "Feb 2019", "Executive level attendance at all contract negotiation meetings.", "Completed and ongoing"),  # noqa: E501
        A("9.3", "Ensure that the roles and responsibilities of STP staff are clearly communicated and understood across the organisation.", "AO", "DPCO", "Mar 2019", "Staff understand who they need to liaise with in the JCT in relation to areas of poor performance.", "Completed"),  # noqa: E501
    ]),
    ODGoal(9, "", "Develop commissioning / project management skills further across the CCGs", [
        A("9.4", "Provide Prince2/principles of prince project management training for relevant staff across the CCGs.", "DSP", "ADA/ETO", "Mar 2020", "Training completed.", "In progress – training sourced and staff identified.", new=True),  # noqa: E501
    ]),
]  # fmt: skip

# The document's Progress column gives each item's status as at January 2020 (Q4 2019/20).
PROGRESS_YEAR, PROGRESS_QUARTER = 2019, 4


def progress_status(text: str) -> str:
    """The status a Progress cell states; an empty cell means not started."""
    lowered = text.lower()
    if not lowered:
        return ProgressStatus.NOT_STARTED
    if lowered.startswith("completed"):
        return (
            ProgressStatus.COMPLETED_ONGOING if "ongoing" in lowered else ProgressStatus.COMPLETED
        )
    if lowered.startswith("in progress"):
        return ProgressStatus.IN_PROGRESS
    raise ValueError(f"Unknown progress text {text!r}")


def split_roles(text: str) -> list[str]:
    """'AO/ DIP (CPR)' -> ['AO', 'DIP (CPR)']."""
    return [part.strip() for part in text.split("/") if part.strip()]


def record_progress(objective: Objective, text: str) -> ProgressUpdate | None:
    """Record the document's Progress cell as an update and make it the item's current progress.

    Not through services.progress_update_create: that is for people reporting now, and its rules
    would make a completed item Blue, whereas the source's RAG column is empty throughout."""
    if not text:
        return None
    status = progress_status(text)
    done = status in (ProgressStatus.COMPLETED, ProgressStatus.COMPLETED_ONGOING)
    update = ProgressUpdate.objects.create(
        objective=objective,
        created_by=None,
        financial_year=PROGRESS_YEAR,
        quarter=PROGRESS_QUARTER,
        status=status,
        rag="",
        percent_complete=100 if done else 0,
        narrative=text,
    )
    objective_apply_update(objective=objective, update=update)
    objective.save(update_fields=["status", "rag", "percent_complete", "latest_update"])
    return update


@transaction.atomic
def load() -> tuple[Plan, bool]:
    """Create the organisation, plan and action plan unless the plan is already there."""
    existing = Plan.objects.filter(slug=PLAN_SLUG).first()
    if existing:
        return existing, False

    org, _ = Organisation.objects.get_or_create(slug=ORGANISATION["slug"], defaults=ORGANISATION)
    plan = Plan.objects.create(organisation=org, slug=PLAN_SLUG, **PLAN)
    for order, (kind, title, body) in enumerate(SECTIONS, start=1):
        PlanSection.objects.create(plan=plan, kind=kind, title=title, body=body, order=order)

    roles = {
        abbreviation: Role.objects.get_or_create(
            organisation=org, abbreviation=abbreviation, defaults={"title": title}
        )[0]
        for abbreviation, title in ROLES
    }
    programmes = {
        d.number: Programme.objects.create(
            plan=plan,
            number=d.number,
            title=d.title,
            aim=d.aim,
            lead_text=d.lead_text,
            lead_role=roles[d.lead_role],
        )
        for d in DOMAINS
    }

    order = 0
    for goal_order, g in enumerate(GOALS, start=1):
        programme = programmes[g.domain]
        goal = Goal.objects.create(
            plan=plan, programme=programme, section=g.section, title=g.title, order=goal_order
        )
        for a in g.actions:
            order += 1
            objective = Objective.objects.create(
                plan=plan,
                kind=ObjectiveKind.ACTION,
                programme=programme,
                goal=goal,
                reference=a.reference,
                text=a.text,
                sro_text=a.sro,
                lead_text=a.lead,
                due_text=a.due,
                due_date=parse_due(a.due, plan_start_year=plan.start_year),  # month end
                measure=a.measure,
                is_new=a.new,
                order=order,
            )
            objective.sro_roles.set([roles[r] for r in split_roles(a.sro)])
            objective.lead_roles.set([roles[r] for r in split_roles(a.lead)])
            record_progress(objective, a.progress)
    return plan, True
