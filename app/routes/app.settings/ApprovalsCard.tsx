/** How long offers wait for approval, and what each staff member may approve. */
import { DataTable, Divider, Select, Text, TextField } from "@shopify/polaris";
import { AUTHORITY_LEVELS, LIMITED_LEVELS, type AuthorityLevel } from "../../recovery";
import { AUTHORITY_LEVEL_LABELS } from "../../recovery/words";
import type { StaffRow } from "../../services/settings.server";
import { Columns, SettingsSection, type FormKit, type Viewer } from "./form-kit";

/** A member may hand out the owner's level only when they are the owner (or it is already set). */
function levelChoices(viewer: Viewer, current: string) {
  return AUTHORITY_LEVELS.filter((l) => l !== "OWNER" || viewer.isOwner || current === "OWNER").map((l) => ({
    label: AUTHORITY_LEVEL_LABELS[l],
    value: l,
  }));
}

function MemberLevels({ form, staff, viewer }: { form: FormKit; staff: StaffRow[]; viewer: Viewer }) {
  const { values, setValues, errors, locked, help } = form;
  const { defaultLevel, members } = values.authority;
  const setMember = (userId: string, level: string) =>
    setValues((c) => {
      // "Default" is the absence of a stored level: dropping the key keeps an undo from looking like a change.
      const { [userId]: _previous, ...others } = c.authority.members;
      return {
        ...c,
        authority: {
          ...c.authority,
          members: level === "DEFAULT" ? others : { ...others, [userId]: level as AuthorityLevel },
        },
      };
    });
  if (staff.length === 0)
    return (
      <Text as="p" tone="subdued">
        Staff appear here once they have opened Amends.
      </Text>
    );
  return (
    <DataTable
      columnContentTypes={["text", "text", "text"]}
      headings={["Member", "Email", "Level"]}
      rows={staff.map((member) => [
        member.name,
        member.email ?? "—",
        member.accountOwner ? (
          "Owner (account owner)"
        ) : (
          <Select
            key={member.userId}
            label={`Level of ${member.name}`}
            labelHidden
            options={[
              { label: `Default (${AUTHORITY_LEVEL_LABELS[defaultLevel]})`, value: "DEFAULT" },
              ...levelChoices(viewer, members[member.userId] ?? "DEFAULT"),
            ]}
            value={members[member.userId] ?? "DEFAULT"}
            onChange={(v) => setMember(member.userId, v)}
            disabled={locked(`authority.members.${member.userId}`) !== null}
            helpText={help(`authority.members.${member.userId}`)}
            error={errors[`authority.members.${member.userId}`]}
          />
        ),
      ])}
    />
  );
}

export function ApprovalsCard({ form, staff, viewer }: { form: FormKit; staff: StaffRow[]; viewer: Viewer }) {
  const { values, errors, currency, set, field, defaultOf, number, groupError, locked, help } = form;
  return (
    <SettingsSection
      title="Approvals"
      description="How long offers wait for approval, and what each staff member may approve. The account owner can always approve everything."
    >
      <Columns>
        {number(
          "offers.escalateAfterHours",
          "Escalate to a manager after",
          "A waiting offer is sent on to managers after this long.",
          "hours",
        )}
        {number(
          "offers.expireAfterHours",
          "Expire after",
          "A waiting offer nobody decided on expires after this long.",
          "hours",
        )}
      </Columns>
      <Divider />
      <Text as="h3" variant="headingSm">
        Approval limits
      </Text>
      <Columns>
        {LIMITED_LEVELS.map((level) => (
          <TextField
            key={level}
            label={`${AUTHORITY_LEVEL_LABELS[level]} may approve up to`}
            inputMode="decimal"
            suffix={currency}
            helpText={help(
              `authority.limits.${level}`,
              `Empty: no limit. ${defaultOf(`authority.limits.${level}`, ` ${currency}`)}.`,
            )}
            {...field(`authority.limits.${level}`)}
          />
        ))}
      </Columns>
      {groupError("authority.limits")}
      <Select
        id="authority.defaultLevel"
        label="Level of staff not listed below"
        options={levelChoices(viewer, values.authority.defaultLevel)}
        value={values.authority.defaultLevel}
        onChange={(v) => set("authority.defaultLevel", v)}
        disabled={locked("authority.defaultLevel") !== null}
        helpText={help("authority.defaultLevel")}
        error={errors["authority.defaultLevel"]}
      />
      <Text as="h3" variant="headingSm">
        Staff
      </Text>
      <MemberLevels form={form} staff={staff} viewer={viewer} />
      {groupError("authority.members")}
    </SettingsSection>
  );
}
