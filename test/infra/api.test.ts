import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS } from '../../infra/aws/api.ts';
import { routes } from '../../infra/routes.ts';
import { type Synthesized, synthesize } from './support.ts';

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});

describe('HTTP API', () => {
  it.each(routes)('routes $method $path to the $function function', (route) => {
    const template = synthesized.template.toJSON();
    const found = Object.values(
      synthesized.template.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: `${route.method} ${route.path}` },
      }),
    );
    expect(found).toHaveLength(1);
    const target: string = found[0]?.Properties.Target['Fn::Join'][1][1].Ref;
    const integration = template.Resources[target].Properties;
    const { byName } = synthesized.stack.functions;
    const fn = byName[route.function as keyof typeof byName];
    expect(integration.IntegrationUri).toEqual({ 'Fn::GetAtt': [synthesized.logicalId(fn), 'Arn'] });
    expect(integration.PayloadFormatVersion).toBe('2.0');
  });

  it('has no route that routes.ts does not list', () => {
    expect(Object.keys(synthesized.template.findResources('AWS::ApiGatewayV2::Route'))).toHaveLength(routes.length);
  });

  it('throttles the default stage and logs route, status and latency — no IP, user agent or path', () => {
    const stages = Object.values(synthesized.template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const stage = stages[0]?.Properties;
    expect(stage).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const format: string = stage.AccessLogSettings.Format;
    expect(JSON.parse(format)).toEqual(ACCESS_LOG_FIELDS);
    expect(format).toContain('$context.routeKey');
    expect(format).not.toMatch(/sourceIp|userAgent|\$context\.path|rawPath|identity/);
  });

  it('uses the throttling limits given as cdk context', () => {
    const { template } = synthesize({ context: { apiRateLimit: '5', apiBurstLimit: 10 } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
  });
});
