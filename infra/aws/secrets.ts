import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * One secret holding `{ "linkSigningKey": "…", "stores": { "<storeId>": { "<platform>": "secret" | [...] } } }`
 * (the shape functions/shared/secrets.ts reads). The link-signing key is generated here; the operator puts the
 * stores' webhook secrets with `aws secretsmanager put-secret-value` (infra/aws/DEPLOY.md).
 */
export class AftercareSecrets extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Aftercare: link-signing key and per-store webhook signing secrets',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ stores: {} }),
        generateStringKey: 'linkSigningKey',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated automatically: webhook secrets are issued by the shop platforms (rotated there, both values ' +
        'accepted meanwhile), and rotating the link-signing key would break every link in emails already sent.',
    });
  }
}
