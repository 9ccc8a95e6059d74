import type { Metadata } from 'next';
import { MembersView } from '~/components/members/members-view';
import { spacePage } from '~/trpc/server';

export const metadata: Metadata = { title: 'Members' };

export default spacePage(
  MembersView,
  { permission: 'org.members.read', title: 'Members', what: 'the member list' },
  (trpc, load) => [load(trpc.member.list.queryOptions())],
);
