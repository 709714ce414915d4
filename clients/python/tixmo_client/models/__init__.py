""" Contains all the data models used in inputs/outputs """

from .address import Address
from .address_read import AddressRead
from .address_update import AddressUpdate
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_read import ApiKeyRead
from .api_key_tier import ApiKeyTier
from .audit_entry_read import AuditEntryRead
from .audit_entry_read_after_type_0 import AuditEntryReadAfterType0
from .audit_entry_read_before_type_0 import AuditEntryReadBeforeType0
from .auth_response import AuthResponse
from .availability_read import AvailabilityRead
from .average_order import AverageOrder
from .body_images_upload_event_image import BodyImagesUploadEventImage
from .body_images_upload_venue_image import BodyImagesUploadVenueImage
from .bundle_ticket import BundleTicket
from .check_in import CheckIn
from .conflict_with import ConflictWith
from .count_change import CountChange
from .customers_report import CustomersReport
from .dashboard_report import DashboardReport
from .decline_reason import DeclineReason
from .delivery_read import DeliveryRead
from .dependency_health import DependencyHealth
from .dependency_health_status import DependencyHealthStatus
from .direction import Direction
from .discount_type import DiscountType
from .dispute_read import DisputeRead
from .event_category import EventCategory
from .event_create import EventCreate
from .event_figures import EventFigures
from .event_figures_orderstatuses import EventFiguresOrderstatuses
from .event_read import EventRead
from .event_stats import EventStats
from .event_status import EventStatus
from .event_update import EventUpdate
from .events_list_events_sort_type_0 import EventsListEventsSortType0
from .events_report import EventsReport
from .export_format import ExportFormat
from .field_error import FieldError
from .frequency import Frequency
from .funnel_day import FunnelDay
from .funnel_event import FunnelEvent
from .funnel_figures import FunnelFigures
from .funnel_report import FunnelReport
from .health import Health
from .health_status import HealthStatus
from .image_read import ImageRead
from .image_role import ImageRole
from .image_update import ImageUpdate
from .image_urls import ImageUrls
from .intent_create import IntentCreate
from .intent_read import IntentRead
from .intent_read_next_action_type_0 import IntentReadNextActionType0
from .invalid_reason import InvalidReason
from .live_ticket_read import LiveTicketRead
from .login_request import LoginRequest
from .logout_request import LogoutRequest
from .member_add import MemberAdd
from .member_read import MemberRead
from .member_role import MemberRole
from .money import Money
from .money_change import MoneyChange
from .notification_read import NotificationRead
from .notification_read_data import NotificationReadData
from .occupancy import Occupancy
from .offline_scan import OfflineScan
from .order_create import OrderCreate
from .order_item_input import OrderItemInput
from .order_item_read import OrderItemRead
from .order_read import OrderRead
from .order_status import OrderStatus
from .organization_create import OrganizationCreate
from .organization_read import OrganizationRead
from .organization_type import OrganizationType
from .organization_update import OrganizationUpdate
from .page_api_key_read import PageApiKeyRead
from .page_audit_entry_read import PageAuditEntryRead
from .page_delivery_read import PageDeliveryRead
from .page_event_read import PageEventRead
from .page_image_read import PageImageRead
from .page_member_read import PageMemberRead
from .page_meta import PageMeta
from .page_notification_read import PageNotificationRead
from .page_order_read import PageOrderRead
from .page_organization_read import PageOrganizationRead
from .page_payment_read import PagePaymentRead
from .page_promo_code_read import PagePromoCodeRead
from .page_saved_payment_method import PageSavedPaymentMethod
from .page_scan_log_read import PageScanLogRead
from .page_scanner_read import PageScannerRead
from .page_scanner_stat import PageScannerStat
from .page_seat_status_read import PageSeatStatusRead
from .page_signing_key_read import PageSigningKeyRead
from .page_subscription_read import PageSubscriptionRead
from .page_ticket_read import PageTicketRead
from .page_ticket_type_read import PageTicketTypeRead
from .page_user_read import PageUserRead
from .page_venue_read import PageVenueRead
from .page_waitlist_entry_read import PageWaitlistEntryRead
from .page_webhook_read import PageWebhookRead
from .payment_day import PaymentDay
from .payment_event_read import PaymentEventRead
from .payment_figures import PaymentFigures
from .payment_method_figures import PaymentMethodFigures
from .payment_read import PaymentRead
from .payment_read_next_action_type_0 import PaymentReadNextActionType0
from .payment_status import PaymentStatus
from .payments_report import PaymentsReport
from .peak_hour import PeakHour
from .period import Period
from .preferences_read import PreferencesRead
from .preferences_update import PreferencesUpdate
from .price_range import PriceRange
from .price_tier_input import PriceTierInput
from .price_tier_input_kind import PriceTierInputKind
from .price_tier_read import PriceTierRead
from .price_tier_read_kind import PriceTierReadKind
from .problem import Problem
from .promo_code_create import PromoCodeCreate
from .promo_code_figures import PromoCodeFigures
from .promo_code_read import PromoCodeRead
from .promo_code_update import PromoCodeUpdate
from .promo_code_validate import PromoCodeValidate
from .promo_code_validation import PromoCodeValidation
from .promo_codes_bulk_create import PromoCodesBulkCreate
from .promo_codes_bulk_created import PromoCodesBulkCreated
from .promo_codes_report import PromoCodesReport
from .promo_status import PromoStatus
from .public_key_read import PublicKeyRead
from .queue_join_read import QueueJoinRead
from .queue_status import QueueStatus
from .queue_status_read import QueueStatusRead
from .read_all_result import ReadAllResult
from .ready import Ready
from .ready_check import ReadyCheck
from .ready_check_detail_type_0 import ReadyCheckDetailType0
from .ready_check_status import ReadyCheckStatus
from .ready_checks import ReadyChecks
from .ready_status import ReadyStatus
from .refresh_request import RefreshRequest
from .refund_create import RefundCreate
from .refund_policy import RefundPolicy
from .refund_read import RefundRead
from .refund_status import RefundStatus
from .register_request import RegisterRequest
from .register_request_role import RegisterRequestRole
from .rendition_status import RenditionStatus
from .report import Report
from .report_filters_read import ReportFiltersRead
from .role import Role
from .sales_day import SalesDay
from .sales_event import SalesEvent
from .sales_report import SalesReport
from .sales_ticket_type import SalesTicketType
from .saved_payment_method import SavedPaymentMethod
from .scan_counts import ScanCounts
from .scan_log_read import ScanLogRead
from .scan_request import ScanRequest
from .scan_result import ScanResult
from .scan_source import ScanSource
from .scan_status import ScanStatus
from .scanner_auth_request import ScannerAuthRequest
from .scanner_create import ScannerCreate
from .scanner_read import ScannerRead
from .scanner_registered import ScannerRegistered
from .scanner_stat import ScannerStat
from .scanner_token import ScannerToken
from .scanner_update import ScannerUpdate
from .scope import Scope
from .seat_map_read import SeatMapRead
from .seat_map_update import SeatMapUpdate
from .seat_read import SeatRead
from .seat_ref import SeatRef
from .seat_status import SeatStatus
from .seat_status_read import SeatStatusRead
from .seating_chart import SeatingChart
from .seating_row import SeatingRow
from .seating_section import SeatingSection
from .signing_key_read import SigningKeyRead
from .signing_key_status import SigningKeyStatus
from .subscription_create import SubscriptionCreate
from .subscription_read import SubscriptionRead
from .subscription_update import SubscriptionUpdate
from .sync_bundle import SyncBundle
from .sync_outcome import SyncOutcome
from .sync_result import SyncResult
from .sync_result_counts import SyncResultCounts
from .sync_upload import SyncUpload
from .ticket_cancellation import TicketCancellation
from .ticket_qr_read import TicketQrRead
from .ticket_read import TicketRead
from .ticket_status import TicketStatus
from .ticket_type_create import TicketTypeCreate
from .ticket_type_read import TicketTypeRead
from .ticket_type_update import TicketTypeUpdate
from .ticket_types_bulk_create import TicketTypesBulkCreate
from .ticket_types_bulk_created import TicketTypesBulkCreated
from .tickets_per_order import TicketsPerOrder
from .timeline import Timeline
from .timeline_hour import TimelineHour
from .token_pair import TokenPair
from .top_customer import TopCustomer
from .top_event import TopEvent
from .transfer_create import TransferCreate
from .transfer_read import TransferRead
from .user_read import UserRead
from .user_update import UserUpdate
from .validate_request import ValidateRequest
from .validation_read import ValidationRead
from .validation_status import ValidationStatus
from .venue_create import VenueCreate
from .venue_read import VenueRead
from .venue_read_seating_chart_type_0 import VenueReadSeatingChartType0
from .venue_update import VenueUpdate
from .waiting_room_read import WaitingRoomRead
from .waiting_room_update import WaitingRoomUpdate
from .waitlist_entry_read import WaitlistEntryRead
from .waitlist_join import WaitlistJoin
from .waitlist_page import WaitlistPage
from .waitlist_settings_read import WaitlistSettingsRead
from .waitlist_settings_update import WaitlistSettingsUpdate
from .waitlist_size import WaitlistSize
from .waitlist_status import WaitlistStatus
from .waitlist_type_counts import WaitlistTypeCounts
from .webhook_ack import WebhookAck
from .webhook_create import WebhookCreate
from .webhook_created import WebhookCreated
from .webhook_read import WebhookRead
from .webhook_update import WebhookUpdate
from .webp_urls import WebpUrls

__all__ = (
    "Address",
    "AddressRead",
    "AddressUpdate",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyRead",
    "ApiKeyTier",
    "AuditEntryRead",
    "AuditEntryReadAfterType0",
    "AuditEntryReadBeforeType0",
    "AuthResponse",
    "AvailabilityRead",
    "AverageOrder",
    "BodyImagesUploadEventImage",
    "BodyImagesUploadVenueImage",
    "BundleTicket",
    "CheckIn",
    "ConflictWith",
    "CountChange",
    "CustomersReport",
    "DashboardReport",
    "DeclineReason",
    "DeliveryRead",
    "DependencyHealth",
    "DependencyHealthStatus",
    "Direction",
    "DiscountType",
    "DisputeRead",
    "EventCategory",
    "EventCreate",
    "EventFigures",
    "EventFiguresOrderstatuses",
    "EventRead",
    "EventsListEventsSortType0",
    "EventsReport",
    "EventStats",
    "EventStatus",
    "EventUpdate",
    "ExportFormat",
    "FieldError",
    "Frequency",
    "FunnelDay",
    "FunnelEvent",
    "FunnelFigures",
    "FunnelReport",
    "Health",
    "HealthStatus",
    "ImageRead",
    "ImageRole",
    "ImageUpdate",
    "ImageUrls",
    "IntentCreate",
    "IntentRead",
    "IntentReadNextActionType0",
    "InvalidReason",
    "LiveTicketRead",
    "LoginRequest",
    "LogoutRequest",
    "MemberAdd",
    "MemberRead",
    "MemberRole",
    "Money",
    "MoneyChange",
    "NotificationRead",
    "NotificationReadData",
    "Occupancy",
    "OfflineScan",
    "OrderCreate",
    "OrderItemInput",
    "OrderItemRead",
    "OrderRead",
    "OrderStatus",
    "OrganizationCreate",
    "OrganizationRead",
    "OrganizationType",
    "OrganizationUpdate",
    "PageApiKeyRead",
    "PageAuditEntryRead",
    "PageDeliveryRead",
    "PageEventRead",
    "PageImageRead",
    "PageMemberRead",
    "PageMeta",
    "PageNotificationRead",
    "PageOrderRead",
    "PageOrganizationRead",
    "PagePaymentRead",
    "PagePromoCodeRead",
    "PageSavedPaymentMethod",
    "PageScanLogRead",
    "PageScannerRead",
    "PageScannerStat",
    "PageSeatStatusRead",
    "PageSigningKeyRead",
    "PageSubscriptionRead",
    "PageTicketRead",
    "PageTicketTypeRead",
    "PageUserRead",
    "PageVenueRead",
    "PageWaitlistEntryRead",
    "PageWebhookRead",
    "PaymentDay",
    "PaymentEventRead",
    "PaymentFigures",
    "PaymentMethodFigures",
    "PaymentRead",
    "PaymentReadNextActionType0",
    "PaymentsReport",
    "PaymentStatus",
    "PeakHour",
    "Period",
    "PreferencesRead",
    "PreferencesUpdate",
    "PriceRange",
    "PriceTierInput",
    "PriceTierInputKind",
    "PriceTierRead",
    "PriceTierReadKind",
    "Problem",
    "PromoCodeCreate",
    "PromoCodeFigures",
    "PromoCodeRead",
    "PromoCodesBulkCreate",
    "PromoCodesBulkCreated",
    "PromoCodesReport",
    "PromoCodeUpdate",
    "PromoCodeValidate",
    "PromoCodeValidation",
    "PromoStatus",
    "PublicKeyRead",
    "QueueJoinRead",
    "QueueStatus",
    "QueueStatusRead",
    "ReadAllResult",
    "Ready",
    "ReadyCheck",
    "ReadyCheckDetailType0",
    "ReadyChecks",
    "ReadyCheckStatus",
    "ReadyStatus",
    "RefreshRequest",
    "RefundCreate",
    "RefundPolicy",
    "RefundRead",
    "RefundStatus",
    "RegisterRequest",
    "RegisterRequestRole",
    "RenditionStatus",
    "Report",
    "ReportFiltersRead",
    "Role",
    "SalesDay",
    "SalesEvent",
    "SalesReport",
    "SalesTicketType",
    "SavedPaymentMethod",
    "ScanCounts",
    "ScanLogRead",
    "ScannerAuthRequest",
    "ScannerCreate",
    "ScannerRead",
    "ScannerRegistered",
    "ScannerStat",
    "ScannerToken",
    "ScannerUpdate",
    "ScanRequest",
    "ScanResult",
    "ScanSource",
    "ScanStatus",
    "Scope",
    "SeatingChart",
    "SeatingRow",
    "SeatingSection",
    "SeatMapRead",
    "SeatMapUpdate",
    "SeatRead",
    "SeatRef",
    "SeatStatus",
    "SeatStatusRead",
    "SigningKeyRead",
    "SigningKeyStatus",
    "SubscriptionCreate",
    "SubscriptionRead",
    "SubscriptionUpdate",
    "SyncBundle",
    "SyncOutcome",
    "SyncResult",
    "SyncResultCounts",
    "SyncUpload",
    "TicketCancellation",
    "TicketQrRead",
    "TicketRead",
    "TicketsPerOrder",
    "TicketStatus",
    "TicketTypeCreate",
    "TicketTypeRead",
    "TicketTypesBulkCreate",
    "TicketTypesBulkCreated",
    "TicketTypeUpdate",
    "Timeline",
    "TimelineHour",
    "TokenPair",
    "TopCustomer",
    "TopEvent",
    "TransferCreate",
    "TransferRead",
    "UserRead",
    "UserUpdate",
    "ValidateRequest",
    "ValidationRead",
    "ValidationStatus",
    "VenueCreate",
    "VenueRead",
    "VenueReadSeatingChartType0",
    "VenueUpdate",
    "WaitingRoomRead",
    "WaitingRoomUpdate",
    "WaitlistEntryRead",
    "WaitlistJoin",
    "WaitlistPage",
    "WaitlistSettingsRead",
    "WaitlistSettingsUpdate",
    "WaitlistSize",
    "WaitlistStatus",
    "WaitlistTypeCounts",
    "WebhookAck",
    "WebhookCreate",
    "WebhookCreated",
    "WebhookRead",
    "WebhookUpdate",
    "WebpUrls",
)
