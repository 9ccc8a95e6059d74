import type { Metadata } from 'next';
import { DeliveryView } from '~/components/delivery/delivery-view';
import { spacePage } from '~/trpc/server';

export const metadata: Metadata = { title: 'Delivery' };

export default spacePage(
  DeliveryView,
  { permission: 'otp.settings.read', title: 'Delivery', what: 'the delivery settings' },
  (trpc, load) => [load(trpc.otpSettings.list.queryOptions())],
);
