-- One database per service and one for the gateway (accounts, audit), as shared.config.DATABASES
-- names them: a service owns its data and nobody else reads its tables. PostgreSQL's image runs
-- this once, when its data volume is new; on an older volume: createdb -U postgres gongzhi_gateway
CREATE DATABASE gongzhi_meetings;
CREATE DATABASE gongzhi_matching;
CREATE DATABASE gongzhi_volunteers;
CREATE DATABASE gongzhi_contracts;
CREATE DATABASE gongzhi_gateway;
