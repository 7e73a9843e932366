import { FileProtectOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '../../app/registry';

/**
 * Government-purchased service contracts as their purchaser (the residents' committee), the owners'
 * committee of a compound they serve and the sub-district office see them. The provider's own pages
 * are the organisation's (/service-contracts); the office approves in /approvals.
 */
const READERS = ['residents_committee', 'owners_committee', 'street_office'] as const;

export const routes: FeatureRoute[] = [
  {
    path: '/contracts',
    page: 'ContractsPage',
    title: 'contracts.menu.contracts',
    parties: READERS,
    menu: { order: 25, icon: <FileProtectOutlined /> },
  },
  { path: '/contracts/:contractId', page: 'ContractPage', title: 'contracts.menu.contract', parties: READERS },
];
