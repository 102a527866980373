/**
 * The settings page's change history: audit entries of settings saves and grid saves as lines a
 * merchant reads ("Cooldown per customer: 30 → 0"), money in the shop currency, the holdout share
 * as a percentage, grid cells as the grid editor words them. Passwords never appear: the audit
 * only ever holds "stored" / "changed" for them.
 */
import { describeCell, formatMoney, type GridCell } from "../recovery";
import { GRID_AUDIT_ACTION, ruleFor, SETTINGS_AUDIT_ACTION } from "../recovery/guardrails/settings-authority";
import { AUTHORITY_LEVEL_LABELS, INCIDENT_TYPE_LABELS, SEVERITY_LABELS, TIER_LABELS } from "../recovery/words";
import type { AuthorityLevel, IncidentType, Severity, Tier } from "../recovery";
import { MONEY_FIELDS, PERCENT_SHARE_FIELD, shareToPercent } from "./values";
import { LIFECYCLE_STAGE_LABELS, type LifecycleStage } from "../recovery/lifecycle/lifecycle";

export const HISTORY_ACTIONS = [SETTINGS_AUDIT_ACTION, GRID_AUDIT_ACTION];

export interface HistoryChange {
  label: string;
  before: string;
  after: string;
}

export interface HistoryRow {
  id: string;
  /** When, in the shop's time zone. */
  at: string;
  who: string;
  what: "Settings" | "Compensation grid";
  changes: HistoryChange[];
}

export interface AuditEntryView {
  id: string;
  at: Date;
  actor: string;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  before: unknown;
  after: unknown;
}

const MAX_TEXT = 120;

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** One stored setting value as the page would show it. */
export function describeSettingValue(path: string, value: unknown, currency: string): string {
  if (value === null || value === undefined) return path.startsWith("messages.") ? "(empty)" : "none";
  if (typeof value === "number" && MONEY_FIELDS.has(path)) return formatMoney(value, currency);
  if (typeof value === "number" && path === PERCENT_SHARE_FIELD) return `${shareToPercent(value)}%`;
  if (path.startsWith("authority.members.") && typeof value === "string")
    return AUTHORITY_LEVEL_LABELS[value as AuthorityLevel] ?? value;
  if (typeof value === "boolean") return value ? "on" : "off";
  if (Array.isArray(value)) return value.length === 0 ? "none" : clip(value.map(String).join(", "));
  if (typeof value === "string") return value === "" ? "(empty)" : clip(value);
  return clip(JSON.stringify(value));
}

function settingLabel(path: string): string {
  const rule = ruleFor(path);
  if (!rule) return path;
  const parts = path.split(".");
  // Record entries name their key: the member, the template, the incident type or offer kind.
  if (path.startsWith("authority.members.")) return `${rule.label} (staff ${parts[2]})`;
  if (path.startsWith("messages.templates.")) return `${rule.label} (${parts[2]} template)`;
  if (path.startsWith("messages.problems."))
    return `${rule.label}: ${INCIDENT_TYPE_LABELS[parts[2] as IncidentType] ?? parts[2]}`;
  if (path.startsWith("messages.offers.")) return `${rule.label}: ${parts[2]}`;
  return rule.label;
}

function gridLabel(path: string): string {
  const parts = path.split(".");
  if (parts[0] === "percentBasketCapMinor") return "Grid: percent basket cap";
  const where = (severity?: string, tier?: string) =>
    `${SEVERITY_LABELS[severity as Severity] ?? severity} × ${TIER_LABELS[tier as Tier] ?? tier}`;
  if (parts[0] === "cells") return `Grid: ${where(parts[1], parts[2])}`;
  if (parts[0] === "stageOverrides")
    return `Grid: ${LIFECYCLE_STAGE_LABELS[parts[1] as LifecycleStage] ?? parts[1]} stage, ${where(parts[2], parts[3])}`;
  return `Grid: ${INCIDENT_TYPE_LABELS[parts[1] as IncidentType] ?? parts[1]} override, ${where(parts[2], parts[3])}`;
}

function gridValue(path: string, value: unknown, currency: string): string {
  if (value === null || value === undefined) return "none";
  if (path === "percentBasketCapMinor" && typeof value === "number") return formatMoney(value, currency);
  const cell = value as GridCell;
  return `${describeCell(cell, currency)}, ${cell.approval.toLowerCase()}`;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function historyRows(entries: readonly AuditEntryView[], currency: string, timeZone: string): HistoryRow[] {
  const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone });
  return entries.map((entry) => {
    const grid = entry.action === GRID_AUDIT_ACTION;
    const before = record(entry.before);
    const after = record(entry.after);
    const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const level = AUTHORITY_LEVEL_LABELS[entry.actorRole as AuthorityLevel];
    const name = entry.actorName ?? `Staff member ${entry.actor}`;
    return {
      id: entry.id,
      at: when.format(entry.at),
      who: level ? `${name} (${level})` : name,
      what: grid ? "Compensation grid" : "Settings",
      changes: paths.map((path) => ({
        label: grid ? gridLabel(path) : settingLabel(path),
        before: grid ? gridValue(path, before[path], currency) : describeSettingValue(path, before[path], currency),
        after: grid ? gridValue(path, after[path], currency) : describeSettingValue(path, after[path], currency),
      })),
    };
  });
}
