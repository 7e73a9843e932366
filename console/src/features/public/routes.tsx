import type { FeatureRoute } from '../../app/registry';

/** Pages anyone may read without signing in: the community's notice board and the open contracting data. */
export const routes: FeatureRoute[] = [
  { path: '/board/:communityId', page: 'NoticeBoardPage', title: 'public.board.title', parties: [], public: true },
  { path: '/open-contracting', page: 'OpenContractingPage', title: 'public.openData.title', parties: [], public: true },
  { path: '/open-contracting/tender', page: 'TenderDataPage', title: 'public.tender.title', parties: [], public: true },
];
