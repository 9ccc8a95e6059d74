import type { Metadata } from 'next';
import { DeliveryView } from '~/components/delivery/delivery-view';
import { spacePage } from '~/trpc/server';

export const metadata: Metadata = { title: 'Delivery' };

export default spacePage(DeliveryView, (trpc, load) => [load(trpc.otpSettings.list.queryOptions())]);
