export type { LocaleMessages, MessageCatalog, MessageTemplate } from "./catalog";
export { DEFAULT_MESSAGES, isTemplateKey, unknownTemplateMessage } from "./catalog";
export type { AcknowledgementRequest, MessageRequest, RenderedMessage } from "./render";
export { localeFallbacks, renderAcknowledgement, renderMessage } from "./render";
export type { Placeholder, TemplateValues } from "./template";
export { PLACEHOLDERS, fillTemplate, templateErrors, templatePlaceholders } from "./template";
