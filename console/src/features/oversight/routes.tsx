import { AuditOutlined, FileProtectOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '../../app/registry';

/** The sub-district office's oversight: complaints against awards, organisations' filings, contract approvals. */
export const routes: FeatureRoute[] = [
  {
    path: '/complaints',
    page: 'ComplaintsPage',
    title: 'oversight.menu.complaints',
    parties: ['street_office'],
    menu: { order: 30, icon: <AuditOutlined /> },
  },
  {
    path: '/filings',
    page: 'FilingsPage',
    title: 'oversight.menu.filings',
    parties: ['street_office'],
    menu: { order: 31, icon: <SafetyCertificateOutlined /> },
  },
  {
    path: '/approvals',
    page: 'ApprovalsPage',
    title: 'oversight.menu.approvals',
    parties: ['street_office'],
    menu: { order: 32, icon: <FileProtectOutlined /> },
  },
];
