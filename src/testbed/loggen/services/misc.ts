// Smaller services that workloads and consoles touch every day: Secrets Manager,
// DynamoDB (control plane), ECR, ECS, CloudWatch, RDS and the tagging API.
import { api, type Ctx } from '../action';

const secretOf = (c: Ctx) => c.rng.pick(c.res.secrets);

const SM = 'secretsmanager.amazonaws.com';
const DDB = 'dynamodb.amazonaws.com';
const ECR = 'ecr.amazonaws.com';
const ECS = 'ecs.amazonaws.com';
const CW = 'monitoring.amazonaws.com';
const RDS = 'rds.amazonaws.com';
const TAG = 'tagging.amazonaws.com';

export const MISC = [
  api(SM, 'GetSecretValue', {}, (c) => {
    const s = secretOf(c);
    return { requestParameters: { secretId: c.rng.chance(0.5) ? s.arn : s.name } };
  }),
  api(SM, 'DescribeSecret', {}, (c) => ({ requestParameters: { secretId: secretOf(c).arn } })),
  api(SM, 'ListSecrets', {}, () => ({ requestParameters: { maxResults: 100 } })),

  api(DDB, 'DescribeTable', {}, (c) => ({ requestParameters: { tableName: c.rng.pick(c.res.tables) } })),
  api(DDB, 'ListTables', {}, () => ({ requestParameters: null })),

  api(ECR, 'GetAuthorizationToken', {}, () => ({ requestParameters: null })),
  api(ECR, 'DescribeRepositories', {}, () => ({ requestParameters: null })),
  api(ECR, 'BatchGetImage', {}, (c) => ({
    requestParameters: {
      repositoryName: c.rng.pick(c.res.repositories),
      registryId: c.acct.account.id,
      imageIds: [{ imageTag: c.rng.pick(['latest', 'stable', `v1.${c.rng.range(0, 60)}.${c.rng.range(0, 9)}`]) }],
      acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json'],
    },
  })),

  api(ECS, 'DescribeServices', {}, (c) => ({ requestParameters: { cluster: c.res.cluster, services: [c.rng.pick(c.res.services)] } })),
  api(ECS, 'ListTasks', {}, (c) => ({ requestParameters: { cluster: c.res.cluster, serviceName: c.rng.pick(c.res.services) } })),
  api(ECS, 'DescribeTaskDefinition', {}, (c) => ({
    requestParameters: { taskDefinition: `${c.rng.pick(c.res.services)}:${c.rng.range(40, 220)}` },
  })),
  api(ECS, 'UpdateService', {}, (c) => {
    const service = c.rng.pick(c.res.services);
    return {
      requestParameters: {
        cluster: c.res.cluster,
        service,
        taskDefinition: `${service}:${c.rng.range(40, 220)}`,
        forceNewDeployment: false,
      },
      responseElements: {
        service: {
          serviceName: service,
          clusterArn: `arn:aws:ecs:${c.region}:${c.acct.account.id}:cluster/${c.res.cluster}`,
          status: 'ACTIVE',
          desiredCount: 3,
        },
      },
    };
  }),

  api(CW, 'DescribeAlarms', {}, () => ({ requestParameters: { maxRecords: 100 } })),
  api(CW, 'ListMetrics', {}, () => ({ requestParameters: { namespace: 'AWS/EC2' } })),
  api(CW, 'PutMetricAlarm', {}, (c) => ({
    requestParameters: {
      alarmName: `${c.rng.pick(c.res.functions)}-errors`,
      metricName: 'Errors',
      namespace: 'AWS/Lambda',
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    },
  })),

  api(RDS, 'DescribeDBInstances', {}, () => ({ requestParameters: null })),
  api(RDS, 'DescribeDBClusters', {}, () => ({ requestParameters: { includeShared: false } })),
  api(RDS, 'DescribeDBSnapshots', {}, () => ({ requestParameters: { includeShared: false, includePublic: false } })),

  api(TAG, 'GetResources', {}, () => ({
    requestParameters: { resourcesPerPage: 100, resourceTypeFilters: ['ec2:instance', 'rds:db', 'lambda:function'] },
  })),
];
