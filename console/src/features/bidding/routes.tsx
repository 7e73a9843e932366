import { AuditOutlined, FileProtectOutlined, SolutionOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '../../app/registry';

const ORGANISATION = ['social_organisation'] as const;

export const routes: FeatureRoute[] = [
  {
    path: '/tenders',
    page: 'TendersPage',
    title: 'bidding.menu.tenders',
    parties: ORGANISATION,
    menu: { order: 40, icon: <SolutionOutlined /> },
  },
  { path: '/tenders/:projectId', page: 'TenderPage', title: 'bidding.menu.tender', parties: ORGANISATION },
  {
    path: '/bid-complaints',
    page: 'ComplaintsPage',
    title: 'bidding.menu.complaints',
    parties: ORGANISATION,
    menu: { order: 41, icon: <AuditOutlined /> },
  },
  {
    path: '/service-contracts',
    page: 'ContractsPage',
    title: 'bidding.menu.contracts',
    parties: ORGANISATION,
    menu: { order: 42, icon: <FileProtectOutlined /> },
  },
  {
    path: '/service-contracts/:contractId',
    page: 'ContractPage',
    title: 'bidding.menu.contract',
    parties: ORGANISATION,
  },
];
