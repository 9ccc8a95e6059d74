'use client';

import {
  Badge,
  Button,
  Group,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  type OtpSettingView,
  ZDataportSettingBody,
  ZNetgsmSettingBody,
  ZSmtpSettingBody,
  ZTwilioSettingBody,
} from '@otp-access/validators';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DateTime } from '~/components/date-time';
import { confirmDestructive, notifyDone } from '~/components/feedback';
import { useSpace } from '~/components/space-context';
import { describeActor } from '~/lib/actors';
import { errorFieldsOf } from '~/lib/errors';
import { zodFormResolver } from '~/lib/form-resolver';
import { useTRPC, useTRPCClient } from '~/trpc/react';
import { bodyOf, type FormValues, initialValues, type ProviderSpec, secretIsSet } from './providers';

/**
 * One provider's settings, shown in its drawer (which carries the provider's name as its title):
 * fields, write-only secrets, the default switch, save and remove. Keyed by the stored setting's
 * version where it is used, so a save or removal starts the form afresh.
 */
export function ProviderCard({ spec, setting }: { spec: ProviderSpec; setting: OtpSettingView | undefined }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const space = useSpace();
  const canEdit = space.can('otp.settings.update');
  const form = useForm<FormValues>({
    initialValues: initialValues(spec, setting),
    validate: (values) => zodFormResolver(spec.schema)(bodyOf(spec, values)),
  });

  const save = useMutation({
    mutationFn: async (values: FormValues): Promise<OtpSettingView> => {
      const body = bodyOf(spec, values);
      switch (spec.key) {
        case 'smtp':
          return client.otpSettings.upsertSmtp.mutate(ZSmtpSettingBody.parse(body));
        case 'twilio':
          return client.otpSettings.upsertTwilio.mutate(ZTwilioSettingBody.parse(body));
        case 'netgsm':
          return client.otpSettings.upsertNetgsm.mutate(ZNetgsmSettingBody.parse(body));
        case 'dataport':
          return client.otpSettings.upsertDataport.mutate(ZDataportSettingBody.parse(body));
      }
    },
    onSuccess: async () => {
      notifyDone('Settings saved', spec.title);
      await queryClient.invalidateQueries(trpc.otpSettings.list.queryFilter());
    },
    onError: (error) => {
      const fields = errorFieldsOf(error);
      if (fields) {
        for (const [field, message] of Object.entries(fields)) {
          if (typeof message === 'string') form.setFieldError(field, message);
        }
      }
      notifications.show({ color: 'red', title: 'Not saved', message: error.message });
    },
  });
  const remove = useMutation(
    trpc.otpSettings.remove.mutationOptions({
      onSuccess: async () => {
        notifyDone('Settings removed', spec.title);
        await queryClient.invalidateQueries(trpc.otpSettings.list.queryFilter());
      },
    }),
  );
  const confirmRemove = () =>
    confirmDestructive({
      title: `Remove ${spec.title}`,
      message:
        'Its settings and stored secrets are deleted. Codes go out through the other configured providers, if any.',
      confirm: 'Remove',
      onConfirm: () => remove.mutate({ type: spec.type, provider: spec.provider }),
    });

  return (
    <form onSubmit={form.onSubmit((values) => save.mutate(values))} noValidate aria-label={spec.title}>
      <Stack gap="sm">
        <ProviderBadges spec={spec} setting={setting} />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="xs">
          {spec.fields.map((field) => {
            const common = {
              label: field.label,
              description: field.description,
              placeholder: field.placeholder,
              // Read-only, not disabled: a viewer must be able to read the values (disabled
              // fields are dimmed far below 4.5:1).
              readOnly: !canEdit,
              // Descriptions under the input, so inputs side by side line up.
              inputWrapperOrder: ['label', 'input', 'description', 'error'] as (
                | 'label'
                | 'input'
                | 'description'
                | 'error'
              )[],
              key: form.key(field.name),
              ...form.getInputProps(field.name),
            };
            if (field.kind === 'secret') {
              const isSet = secretIsSet(setting, field.name);
              return (
                <PasswordInput
                  {...common}
                  autoComplete="new-password"
                  description={
                    isSet ? 'Set. Type a new value to change it; leave empty to keep it.' : 'Not set'
                  }
                  placeholder={isSet ? '•••••••• (unchanged)' : undefined}
                />
              );
            }
            if (field.kind === 'port') {
              return (
                <NumberInput {...common} min={1} max={65535} allowDecimal={false} allowNegative={false} />
              );
            }
            if (field.kind === 'select') {
              return <Select {...common} data={[...(field.options ?? [])]} allowDeselect={false} />;
            }
            return <TextInput {...common} />;
          })}
        </SimpleGrid>
        {/* A viewer sees the default as the badge above; a switch they cannot use is noise. */}
        {canEdit && (
          <Switch
            label={`Use for ${spec.type === 'MAIL' ? 'email' : 'SMS'} codes by default`}
            key={form.key('isDefault')}
            {...form.getInputProps('isDefault', { type: 'checkbox' })}
          />
        )}
        <Group justify="space-between" gap="xs">
          <Text size="xs" c="dimmed">
            {setting ? (
              <>
                Last changed <DateTime value={setting.lastModifiedDate} /> by{' '}
                {describeActor(setting.lastModifiedBy).who}
              </>
            ) : (
              'Save to configure this provider.'
            )}
          </Text>
          {canEdit && (
            <Group gap="xs">
              {setting && (
                <Button variant="subtle" color="red" onClick={confirmRemove} loading={remove.isPending}>
                  Remove
                </Button>
              )}
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** Whether a provider is configured, and whether it is the default of its type. */
export function ProviderBadges({
  spec,
  setting,
  id,
}: {
  spec: ProviderSpec;
  setting: OtpSettingView | undefined;
  id?: string;
}) {
  return (
    <Group gap={6} wrap="wrap" id={id}>
      {setting?.isDefault && (
        <Badge color="indigo" variant="filled">
          Default for {spec.type === 'MAIL' ? 'email' : 'SMS'}
        </Badge>
      )}
      <Badge color={setting ? 'teal' : 'gray'} variant="light">
        {setting ? 'Configured' : 'Not configured'}
      </Badge>
    </Group>
  );
}
