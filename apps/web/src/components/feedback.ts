import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { createElement } from 'react';

/** Says that a change went through. */
export function notifyDone(title: string, message: string): void {
  notifications.show({ color: 'teal', title, message });
}

/** Asks before a change that cannot be taken back; the red button names what it does. */
export function confirmDestructive({
  title,
  message,
  confirm,
  onConfirm,
}: {
  title: string;
  message: string;
  confirm: string;
  onConfirm: () => void;
}): void {
  modals.openConfirmModal({
    title,
    children: createElement('p', { style: { margin: 0 } }, message),
    labels: { confirm, cancel: 'Cancel' },
    confirmProps: { color: 'red' },
    onConfirm,
  });
}
