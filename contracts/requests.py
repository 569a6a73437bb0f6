"""The request body each operation of the table takes: the contracts model the fake parses it with.

Generators of valid requests (`fake_intercom.strategies`) and documentation read it; a test holds it equal
to the body every fake route declares.
"""

from pydantic import BaseModel

from contracts.models.admins import (
    SearchActivityLogsRequest,
    SetAwayRequest,
)
from contracts.models.ai_content import (
    CreateContentImportSourceRequest,
    CreateExternalPageRequest,
    UpdateContentImportSourceRequest,
    UpdateExternalPageRequest,
)
from contracts.models.articles import (
    ApplyTagRequest,
    ArticleRequest,
    PublishDraftRequest,
)
from contracts.models.audiences import (
    CreateAudienceRequest,
)
from contracts.models.calls import (
    ListCallsWithTranscriptsRequest,
    RegisterFinVoiceCallRequest,
)
from contracts.models.companies import (
    AttachCompanyRequest,
    CompanyRequest,
    UpdateCompanyRequest,
)
from contracts.models.contacts import (
    CreateContactRequest,
    MergeContactsRequest,
    UpdateContactRequest,
)
from contracts.models.content import (
    ContentBulkActionRequest,
)
from contracts.models.content_snippets import (
    ContentSnippetRequest,
)
from contracts.models.conversation_attributes import (
    CreateConversationAttributeRequest,
    OptionRequest,
    UpdateConversationAttributeRequest,
)
from contracts.models.conversations import (
    AttachContactRequest,
    ConversationTagRequest,
    ConvertConversationRequest,
    CreateConversationRequest,
    DetachContactRequest,
    DetachConversationTagRequest,
    ManageConversationRequest,
    MergeConversationRequest,
    RedactConversationRequest,
    ReplyConversationRequest,
    UpdateConversationRequest,
)
from contracts.models.custom_object_instances import (
    CreateCustomObjectInstanceRequest,
)
from contracts.models.data_attributes import (
    CreateDataAttributeRequest,
    UpdateDataAttributeRequest,
)
from contracts.models.data_connectors import (
    CreateDataConnectorRequest,
    UpdateDataConnectorRequest,
)
from contracts.models.data_events import (
    CreateDataEventRequest,
    CreateDataEventSummariesRequest,
)
from contracts.models.data_export import (
    CreateDataExportRequest,
)
from contracts.models.fin_agent import (
    FinCsatRequest,
    FinRequest,
)
from contracts.models.help_center import (
    CollectionRequest,
    HelpCenterRedirectRequest,
    SectionRequest,
)
from contracts.models.internal_articles import (
    InternalArticleRequest,
)
from contracts.models.ip_allowlist import (
    UpdateIpAllowlistRequest,
)
from contracts.models.messages import (
    CreateMessageRequest,
)
from contracts.models.news import (
    NewsItemRequest,
)
from contracts.models.notes import (
    CreateNoteRequest,
)
from contracts.models.office_hours import (
    CreateExceptionRequest,
    CreateScheduleRequest,
    UpdateExceptionRequest,
    UpdateScheduleRequest,
)
from contracts.models.reporting_data_export import (
    EnqueueReportingDataExportRequest,
)
from contracts.models.search import (
    SearchRequest,
)
from contracts.models.subscription_types import (
    AttachSubscriptionRequest,
)
from contracts.models.switch import (
    CreatePhoneSwitchRequest,
)
from contracts.models.tags import (
    AttachTagRequest,
    TagRequest,
)
from contracts.models.ticket_type_attributes import (
    CreateTicketTypeAttributeRequest,
    UpdateTicketTypeAttributeRequest,
)
from contracts.models.ticket_types import (
    CreateTicketTypeRequest,
    UpdateTicketTypeRequest,
)
from contracts.models.tickets import (
    ChangeTicketTypeRequest,
    CreateTicketRequest,
    LinkConversationRequest,
    ReplyTicketRequest,
    TagTicketRequest,
    UpdateTicketRequest,
)
from contracts.models.visitors import (
    ConvertVisitorRequest,
    UpdateVisitorRequest,
)

REQUEST_MODELS: dict[str, type[BaseModel]] = {
    "searchActivityLogs": SearchActivityLogsRequest,
    "setAwayAdmin": SetAwayRequest,
    "createContentImportSource": CreateContentImportSourceRequest,
    "createExternalPage": CreateExternalPageRequest,
    "updateContentImportSource": UpdateContentImportSourceRequest,
    "updateExternalPage": UpdateExternalPageRequest,
    "attachTagToArticle": ApplyTagRequest,
    "createArticle": ArticleRequest,
    "publishArticleDraft": PublishDraftRequest,
    "stageArticleDraft": ArticleRequest,
    "updateArticle": ArticleRequest,
    "createAudience": CreateAudienceRequest,
    "updateAudience": CreateAudienceRequest,
    "listCallsWithTranscripts": ListCallsWithTranscriptsRequest,
    "registerFinVoiceCall": RegisterFinVoiceCallRequest,
    "UpdateCompany": UpdateCompanyRequest,
    "attachContactToACompany": AttachCompanyRequest,
    "createOrUpdateCompany": CompanyRequest,
    "CreateContact": CreateContactRequest,
    "MergeContact": MergeContactsRequest,
    "SearchContacts": SearchRequest,
    "UpdateContact": UpdateContactRequest,
    "bulkContentActions": ContentBulkActionRequest,
    "attachTagToContentSnippet": ApplyTagRequest,
    "createContentSnippet": ContentSnippetRequest,
    "updateContentSnippet": ContentSnippetRequest,
    "createConversationAttribute": CreateConversationAttributeRequest,
    "createConversationAttributeOption": OptionRequest,
    "updateConversationAttribute": UpdateConversationAttributeRequest,
    "updateConversationAttributeOption": OptionRequest,
    "attachContactToConversation": AttachContactRequest,
    "attachTagToConversation": ConversationTagRequest,
    "convertConversationToTicket": ConvertConversationRequest,
    "createConversation": CreateConversationRequest,
    "detachContactFromConversation": DetachContactRequest,
    "detachTagFromConversation": DetachConversationTagRequest,
    "manageConversation": ManageConversationRequest,
    "mergeConversation": MergeConversationRequest,
    "redactConversation": RedactConversationRequest,
    "replyConversation": ReplyConversationRequest,
    "searchConversations": SearchRequest,
    "updateConversation": UpdateConversationRequest,
    "createCustomObjectInstances": CreateCustomObjectInstanceRequest,
    "createDataAttribute": CreateDataAttributeRequest,
    "updateDataAttribute": UpdateDataAttributeRequest,
    "createDataConnector": CreateDataConnectorRequest,
    "updateDataConnector": UpdateDataConnectorRequest,
    "createDataEvent": CreateDataEventRequest,
    "dataEventSummaries": CreateDataEventSummariesRequest,
    "createDataExport": CreateDataExportRequest,
    "replyToFin": FinRequest,
    "startFinConversation": FinRequest,
    "submitFinCsat": FinCsatRequest,
    "createCollection": CollectionRequest,
    "createHelpCenterRedirect": HelpCenterRedirectRequest,
    "createHelpCenterSection": SectionRequest,
    "updateCollection": CollectionRequest,
    "attachTagToInternalArticle": ApplyTagRequest,
    "createInternalArticle": InternalArticleRequest,
    "updateInternalArticle": InternalArticleRequest,
    "updateIpAllowlist": UpdateIpAllowlistRequest,
    "createMessage": CreateMessageRequest,
    "createNewsItem": NewsItemRequest,
    "updateNewsItem": NewsItemRequest,
    "createCompanyNote": CreateNoteRequest,
    "createNote": CreateNoteRequest,
    "createOfficeHoursException": CreateExceptionRequest,
    "createOfficeHoursSchedule": CreateScheduleRequest,
    "updateOfficeHoursException": UpdateExceptionRequest,
    "updateOfficeHoursSchedule": UpdateScheduleRequest,
    "enqueueReportingDataExport": EnqueueReportingDataExportRequest,
    "attachSubscriptionTypeToContact": AttachSubscriptionRequest,
    "createPhoneSwitch": CreatePhoneSwitchRequest,
    "attachTagToContact": AttachTagRequest,
    "createTag": TagRequest,
    "createTicketTypeAttribute": CreateTicketTypeAttributeRequest,
    "updateTicketTypeAttribute": UpdateTicketTypeAttributeRequest,
    "createTicketType": CreateTicketTypeRequest,
    "updateTicketType": UpdateTicketTypeRequest,
    "attachTagToTicket": TagTicketRequest,
    "changeTicketType": ChangeTicketTypeRequest,
    "createTicket": CreateTicketRequest,
    "enqueueCreateTicket": CreateTicketRequest,
    "linkConversationToTicket": LinkConversationRequest,
    "replyTicket": ReplyTicketRequest,
    "searchTickets": SearchRequest,
    "updateTicket": UpdateTicketRequest,
    "convertVisitor": ConvertVisitorRequest,
    "updateVisitor": UpdateVisitorRequest,
}
