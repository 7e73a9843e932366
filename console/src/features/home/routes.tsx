import { HomeOutlined } from '@ant-design/icons';
import { PARTY_TYPES } from '../../app/parties';
import type { FeatureRoute } from '../../app/registry';

export const routes: FeatureRoute[] = [
  { path: '/', page: 'Home', title: 'home.title', parties: PARTY_TYPES, menu: { order: 0, icon: <HomeOutlined /> } },
];
