import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { DomainName, HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../functions.ts';
import { routes } from '../routes.ts';
import { namePrefixOf } from './names.ts';
import type { DeploySettings } from './settings.ts';

/**
 * Access log line: which route, how it went, how long it took. No source IP, user agent or raw path — the
 * survey and unsubscribe paths carry a customer's token, and the route key already says which template matched.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  responseLength: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
} as const;

export interface ApiProps {
  settings: DeploySettings;
  /** The functions the routes point at (infra/routes.ts, from the descriptors). */
  functions: Partial<Record<FunctionName, IFunction>>;
}

/** The HTTP API: every route of infra/routes.ts on its function, throttled, access-logged, optionally on a domain. */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly domain?: DomainName;
  /** Base URL of webhooks and of the links in emails, without a trailing slash. */
  readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { settings } = props;
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: namePrefixOf(this),
      description: 'Aftercare: store webhooks, survey and unsubscribe pages',
      createDefaultStage: false,
    });
    if (settings.domainName && settings.certificateArn) {
      this.domain = new DomainName(this, 'Domain', {
        domainName: settings.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', settings.certificateArn),
      });
    }
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.apiRateLimit, burstLimit: settings.apiBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
      ...(this.domain ? { domainMapping: { domainName: this.domain } } : {}),
    });
    this.publicUrl = settings.domainName ? `https://${settings.domainName}` : this.httpApi.apiEndpoint;

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of routes) {
      const fn = props.functions[route.function];
      if (!fn) throw new Error(`route ${route.method} ${route.path} needs the ${route.function} function`);
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.function}-integration`, fn);
        integrations.set(route.function, integration);
      }
      for (const created of this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
      })) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Callers are shop platforms and customers, not IAM or Cognito principals: each webhook is verified by ' +
            "its platform's HMAC signature with the store's secret, each page by its signed link token.",
        });
      }
    }
  }
}
