import type { FeatureRoute } from '../../app/registry';

export const routes: FeatureRoute[] = [{ path: '/sign-in', page: 'SignIn', title: 'sign-in.title', parties: [], public: true }];
