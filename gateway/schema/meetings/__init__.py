"""Joint meetings (联席会议) in the GraphQL schema: which party sees and does what."""

from __future__ import annotations

from gateway.schema.common import expose
from gateway.schema.meetings.conduct import (
    AcceptAgendaItem,
    AskMinutesCorrection,
    CancelMeeting,
    DeferAgendaItem,
    OrderAgenda,
    RecordResolution,
    RescheduleMeeting,
    ScheduleMeeting,
    SignInToMeeting,
    SignMinutesOff,
    SubmitAgendaItem,
    TakePosition,
    WriteMinutes,
)
from gateway.schema.meetings.follow_up import (
    AssignActionItem,
    CompleteActionItem,
    ConfirmActionItem,
    CreateMeetingSeries,
    ReopenActionItem,
    ReportActionItemProgress,
    action_items_field,
    series_field,
)
from gateway.schema.meetings.meeting import DIRECTORY_PARTIES, OC, PC, RC, SO, meetings_field
from gateway.schema.meetings.scheduling import (
    ConfirmMeetingTime,
    ProposeMeetingTimes,
    StateAvailability,
    polls_field,
)

QUERIES = [
    expose("meetings", meetings_field, RC, OC, PC, SO),
    expose("meeting_series", series_field, RC, OC, PC, SO),
    expose("scheduling_polls", polls_field, *DIRECTORY_PARTIES),
    expose("action_items", action_items_field, RC, OC, PC, SO),
]
MUTATIONS = [
    expose("schedule_meeting", ScheduleMeeting.Field, RC, OC, PC),
    expose("order_agenda", OrderAgenda.Field, RC),
    expose("propose_meeting_times", ProposeMeetingTimes.Field, RC),
    expose("state_availability", StateAvailability.Field, *DIRECTORY_PARTIES),
    expose("confirm_meeting_time", ConfirmMeetingTime.Field, RC),
    expose("accept_agenda_item", AcceptAgendaItem.Field, RC),
    expose("defer_agenda_item", DeferAgendaItem.Field, RC),
    expose("write_minutes", WriteMinutes.Field, RC),
    expose("sign_minutes_off", SignMinutesOff.Field, RC, OC, PC),
    expose("ask_minutes_correction", AskMinutesCorrection.Field, RC, OC, PC),
    expose("submit_agenda_item", SubmitAgendaItem.Field, RC, OC, PC),
    expose("record_resolution", RecordResolution.Field, RC),
    expose("create_meeting_series", CreateMeetingSeries.Field, RC),
    expose("reschedule_meeting", RescheduleMeeting.Field, RC),
    expose("cancel_meeting", CancelMeeting.Field, RC),
    expose("sign_in_to_meeting", SignInToMeeting.Field, RC, OC, PC),
    expose("take_position", TakePosition.Field, RC, OC, PC),
    expose("assign_action_item", AssignActionItem.Field, RC),
    expose("report_action_item_progress", ReportActionItemProgress.Field, RC, OC, PC),
    expose("complete_action_item", CompleteActionItem.Field, RC, OC, PC),
    expose("confirm_action_item", ConfirmActionItem.Field, RC),
    expose("reopen_action_item", ReopenActionItem.Field, RC),
]
