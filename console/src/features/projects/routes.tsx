import { ProjectOutlined } from '@ant-design/icons';
import type { FeatureRoute } from '../../app/registry';

/** The committee's purchases of services, from draft to award. */
export const routes: FeatureRoute[] = [
  {
    path: '/projects',
    page: 'ProjectsPage',
    title: 'projects.menu.projects',
    parties: ['residents_committee'],
    menu: { order: 20, icon: <ProjectOutlined /> },
  },
  { path: '/projects/:projectId', page: 'ProjectPage', title: 'projects.menu.project', parties: ['residents_committee'] },
];
